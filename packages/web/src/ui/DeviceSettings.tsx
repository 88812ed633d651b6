import { useEffect, useRef } from 'preact/hooks';
import type { LocalState } from '../conference/conference.js';
import type { DeviceKind } from '../conference/local-media.js';
import { useI18n } from '../i18n/i18n.js';
import { DeviceSelect } from './DeviceSelect.js';
import { CloseIcon } from './icons.js';
import { LanguagePicker } from './LanguagePicker.js';
import { useDevices } from './use-devices.js';
import { VideoQualitySelect } from './VideoQualitySelect.js';
import type { QualityChoice } from './video-quality.js';

interface Props {
  local: LocalState;
  onSwitch: (kind: DeviceKind, deviceId: string) => void;
  quality: QualityChoice;
  onQuality: (choice: QualityChoice) => void;
  onClose: () => void;
}

/** A small panel above the toolbar for changing microphone, camera, video quality and language mid-call. */
export function DeviceSettings({ local, onSwitch, quality, onQuality, onClose }: Props) {
  const { t } = useI18n();
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
    <div class="settings" ref={panel} role="dialog" aria-label={t('settings.title')} id="device-settings-panel">
      <div class="settings__head">
        <h2 class="settings__title">{t('settings.title')}</h2>
        <button type="button" class="icon-button" aria-label={t('settings.close')} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <DeviceSelect kind="audioinput" devices={devices} value={local.micDeviceId} onChange={(id) => onSwitch('audioinput', id)} testId="mic-select" />
      <DeviceSelect kind="videoinput" devices={devices} value={cameraId} onChange={(id) => onSwitch('videoinput', id)} testId="camera-select" />
      {local.videoMuted && <p class="settings__hint">{t('settings.cameraHint')}</p>}
      <VideoQualitySelect value={quality} onChange={onQuality} />
      <LanguagePicker />
    </div>
  );
}
