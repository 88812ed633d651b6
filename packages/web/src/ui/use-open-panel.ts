import { useMemo, useState } from 'preact/hooks';

/** The call's side panels, each with the toolbar button that opens it. They share the right edge, so one is open at a time. */
const PANEL_BUTTONS = {
  chat: 'toggle-chat',
  moderation: 'moderation',
  participants: 'toggle-participants',
  polls: 'toggle-polls',
  breakouts: 'toggle-breakouts',
} as const;

export type Panel = keyof typeof PANEL_BUTTONS;

export interface PanelControls {
  /** What the toolbar buttons and shortcuts do: open it (closing any other), or close it if open. */
  toggle: Record<Panel, () => void>;
  /** What the panel's close button and Escape do; the focus goes back to its toolbar button. */
  close: Record<Panel, () => void>;
  /** Opens or closes one panel (the iframe API asks for a state, not a toggle). */
  setOpen: (panel: Panel, open: boolean) => void;
}

/** Which side panel is open, and stable callbacks to switch (stable, so an open panel does not take the focus again on each render). */
export function useOpenPanel(): [Panel | undefined, PanelControls] {
  const [open, setPanel] = useState<Panel | undefined>(undefined);
  const controls = useMemo(() => {
    const panels = Object.keys(PANEL_BUTTONS) as Panel[];
    const each = (make: (panel: Panel) => () => void) => Object.fromEntries(panels.map((panel) => [panel, make(panel)])) as Record<Panel, () => void>;
    return {
      toggle: each((panel) => () => setPanel((current) => (current === panel ? undefined : panel))),
      close: each((panel) => () => {
        setPanel(undefined);
        document.querySelector<HTMLElement>(`[data-testid="${PANEL_BUTTONS[panel]}"]`)?.focus();
      }),
      setOpen: (panel: Panel, shown: boolean) => setPanel((current) => (shown ? panel : current === panel ? undefined : current)),
    };
  }, []);
  return [open, controls];
}
