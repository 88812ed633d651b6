import { createPortal } from 'preact/compat';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { DeviceRecordIcon, LiveIcon, RecordIcon } from './icons.js';
import { MenuItem } from './MenuItem.js';
import { moveMenuFocus } from './menu-keys.js';
import type { ServerRecordingControl } from './recording-controls.js';
import { StreamDialog } from './StreamDialog.js';
import { ToolbarButton } from './ToolbarButton.js';
import { useAnchoredPopup } from './use-anchored-popup.js';

const MENU_ID = 'recording-menu';

export interface RecordingActions {
  startFile: () => void;
  startStream: (streamUrl: string) => void;
  stop: (mode: ServerRecordingControl['mode']) => void;
  /** Recording on this device: start, or stop and save. */
  setLocal: (on: boolean) => void;
}

interface Props {
  /** The server recording and live stream controls this person has. */
  controls: ServerRecordingControl[];
  /** Whether this person may record on this device, and is doing so. */
  local: { allowed: boolean; active: boolean };
  actions: RecordingActions;
}

/**
 * The toolbar's recording button and its menu: record on the server, stream live,
 * record on this device. Items the server cannot do now say why and do nothing.
 * The menu and the stream dialog are drawn in the page's body: the toolbar's
 * backdrop filter would otherwise confine anything fixed inside it to the toolbar.
 */
export function RecordingMenu({ controls, local, actions }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [streamDialog, setStreamDialog] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) anchor.current?.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.focus();
  }, []);
  const closeDialog = useCallback(() => setStreamDialog(false), []);
  useAnchoredPopup(open, anchor, menu, close);
  useLayoutEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  if (controls.length === 0 && !local.allowed) return null;
  const running = controls.some((c) => c.running) || local.active;
  const act = (action: () => void) => {
    close(true);
    action();
  };

  return (
    <div class="recording-anchor" ref={anchor}>
      <ToolbarButton
        testId="recording"
        label={t('recording.button')}
        aria-haspopup="menu"
        expanded={open}
        controls={MENU_ID}
        variant={running ? 'active' : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <RecordIcon />
      </ToolbarButton>
      {open &&
        createPortal(
          <div
            class="menu"
            role="menu"
            id={MENU_ID}
            aria-label={t('recording.button')}
            ref={menu}
            data-testid="recording-menu"
            onKeyDown={(event) => !moveMenuFocus(event, menu.current) && event.key === 'Tab' && close(false)}
          >
            {controls.map(({ mode, running: on, unavailable }) => (
              <MenuItem
                key={mode}
                testId={`recording-${mode}`}
                icon={mode === 'file' ? <RecordIcon /> : <LiveIcon />}
                // Stopping is always possible; only starting depends on the server.
                unavailable={on ? undefined : (unavailable ?? undefined)}
                onSelect={() => act(() => (on ? actions.stop(mode) : mode === 'file' ? actions.startFile() : setStreamDialog(true)))}
              >
                {t(mode === 'file' ? (on ? 'recording.stop' : 'recording.start') : on ? 'recording.stopStream' : 'recording.startStream')}
              </MenuItem>
            ))}
            {local.allowed && (
              <MenuItem testId="recording-local" icon={<DeviceRecordIcon />} onSelect={() => act(() => actions.setLocal(!local.active))}>
                {t(local.active ? 'recording.stopLocal' : 'recording.startLocal')}
              </MenuItem>
            )}
          </div>,
          document.body,
        )}
      {streamDialog &&
        createPortal(
          <StreamDialog
            onClose={closeDialog}
            onStart={(url) => {
              setStreamDialog(false);
              actions.startStream(url);
            }}
          />,
          document.body,
        )}
    </div>
  );
}
