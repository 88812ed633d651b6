import type { DeviceKind } from '../conference/local-media.js';
import { useI18n } from '../i18n/i18n.js';

interface Props {
  kind: DeviceKind;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
  testId: string;
}

const WORDS = {
  audioinput: { label: 'settings.microphone', none: 'settings.noMicrophone', numbered: 'settings.microphoneNumber' },
  videoinput: { label: 'settings.camera', none: 'settings.noCamera', numbered: 'settings.cameraNumber' },
} as const;

/** A labelled list of microphones or cameras. */
export function DeviceSelect({ kind, devices, value, onChange, testId }: Props) {
  const { t } = useI18n();
  const words = WORDS[kind];
  const options = devices.filter((d) => d.kind === kind && d.deviceId !== '');
  const selected = options.some((d) => d.deviceId === value) ? value : options[0]?.deviceId;
  const id = `device-${kind}-${testId}`;
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {t(words.label)}
      </label>
      <select
        id={id}
        class="select"
        data-testid={testId}
        value={selected ?? ''}
        disabled={options.length === 0}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {options.length === 0 && <option value="">{t(words.none)}</option>}
        {options.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t(words.numbered, { number: index + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
