import { setLanguage, useI18n } from '../i18n/i18n.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';

/**
 * Picks the interface language; the choice is remembered on this browser and
 * applies at once, without a reload. `compact` is the small one under the
 * welcome and prejoin cards; the settings panel shows it as a labelled field.
 */
export function LanguagePicker({ compact = false }: { compact?: boolean }) {
  const { t, language } = useI18n();
  const id = compact ? 'language-picker-compact' : 'language-picker';
  return (
    <div class={compact ? 'language-picker' : 'field'}>
      <label class={compact ? 'language-picker__label' : 'field__label'} for={id}>
        {t('common.language')}
      </label>
      <select
        id={id}
        class={compact ? 'select select--small' : 'select'}
        data-testid="language-select"
        value={language}
        onChange={(event) => {
          const next = event.currentTarget.value;
          if (isLanguage(next)) setLanguage(next);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
