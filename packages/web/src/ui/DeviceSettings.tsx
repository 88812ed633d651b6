import { useEffect, useRef } from 'preact/hooks';
import type { LocalState } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { DeviceSelect } from './DeviceSelect.js';
import { CloseIcon } from './icons.js';
import { useDevices } from './use-devices.js';

interface Props {
  local: LocalState;
  onSwitch: (kind: DeviceKind, deviceId: string) => void;
  onClose: () => void;
}

/** A small panel above the toolbar for changing microphone and camera mid-call. */
export function DeviceSettings({ local, onSwitch, onClose }: Props) {
  const panel = useRef<HTMLDivElement>(null);
  const devices = useDevices(local.cameraTrack?.id);
  const cameraId = local.cameraDeviceId ?? local.cameraTrack?.getSettings().deviceId;

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('select:not([disabled]), button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !panel.current?.contains(target) && !(target as Element).closest?.('[data-testid="device-settings"]')) {
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [onClose]);

  return (
    <div class="settings" ref={panel} role="dialog" aria-label="Device settings" id="device-settings-panel">
      <div class="settings__head">
        <h2 class="settings__title">Devices</h2>
        <button type="button" class="icon-button" aria-label="Close device settings" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <DeviceSelect kind="audioinput" devices={devices} value={local.micDeviceId} onChange={(id) => onSwitch('audioinput', id)} testId="mic-select" />
      <DeviceSelect kind="videoinput" devices={devices} value={cameraId} onChange={(id) => onSwitch('videoinput', id)} testId="camera-select" />
      {local.videoMuted && <p class="settings__hint">The camera you pick is used when you turn it on.</p>}
    </div>
  );
}
