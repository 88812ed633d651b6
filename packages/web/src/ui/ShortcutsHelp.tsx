import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './Dialog.js';
import { SHORTCUTS, shortcutAvailable } from './shortcuts.js';

/** The help overlay: every keyboard shortcut the page leaves on, with what it does. Escape, '?' (as it opened it) or the close button closes it. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog
      className="shortcuts-help"
      title={t('shortcuts.title')}
      closeLabel={t('shortcuts.close')}
      testId="shortcuts-help"
      describedBy="shortcuts-hint"
      closeKey="?"
      onClose={onClose}
    >
      <p class="shortcuts-help__hint" id="shortcuts-hint">
        {t('shortcuts.hint')}
      </p>
      <dl class="shortcuts-help__list">
        {SHORTCUTS.filter(shortcutAvailable).map((shortcut) => (
          <div class="shortcuts-help__row" key={shortcut.action} data-testid="shortcut">
            <dt>
              <kbd>{shortcut.key}</kbd>
            </dt>
            <dd>{t(shortcut.description)}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
