import { useI18n } from '../i18n/i18n.js';
import { QUALITY_CHOICES, type QualityChoice } from './video-quality.js';

const LABELS = {
  high: 'videoQuality.high',
  standard: 'videoQuality.standard',
  low: 'videoQuality.low',
  audioOnly: 'videoQuality.audioOnly',
} as const satisfies Record<QualityChoice, string>;

interface Props {
  value: QualityChoice;
  onChange: (choice: QualityChoice) => void;
}

/** The settings' video quality: how large the videos this person receives and sends may be, or none (audio only). */
export function VideoQualitySelect({ value, onChange }: Props) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label class="field__label" for="video-quality">
        {t('videoQuality.title')}
      </label>
      <select
        id="video-quality"
        class="select"
        data-testid="video-quality-select"
        value={value}
        aria-describedby="video-quality-hint"
        onChange={(event) => {
          const choice = QUALITY_CHOICES.find((c) => c === event.currentTarget.value);
          if (choice) onChange(choice);
        }}
      >
        {QUALITY_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {t(LABELS[choice])}
          </option>
        ))}
      </select>
      <p class="settings__hint" id="video-quality-hint">
        {t('videoQuality.hint')}
      </p>
    </div>
  );
}
