import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { CloseIcon } from './icons.js';
import { SHORTCUTS } from './shortcuts.js';

/** The help overlay: every keyboard shortcut with what it does. Escape or the close button closes it. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);

  // Focus moves into the dialog and goes back where it was when the dialog closes.
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      // '?' closes it too, as it opened it: the page's shortcuts do not reach into a modal dialog.
      if (event.key !== 'Escape' && event.key !== '?') return;
      event.preventDefault();
      onClose();
    };
    // Captured, so that a side panel listening for Escape underneath stays open.
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      previous?.focus();
    };
  }, [onClose]);

  return (
    <div class="shortcuts-help__backdrop" onPointerDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        class="shortcuts-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        aria-describedby="shortcuts-hint"
        tabIndex={-1}
        ref={dialog}
        data-testid="shortcuts-help"
      >
        <header class="side-panel__header">
          <h2 class="side-panel__title" id="shortcuts-title">
            {t('shortcuts.title')}
          </h2>
          <button type="button" class="icon-button" aria-label={t('shortcuts.close')} title={t('shortcuts.close')} onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <p class="shortcuts-help__hint" id="shortcuts-hint">
          {t('shortcuts.hint')}
        </p>
        <dl class="shortcuts-help__list">
          {SHORTCUTS.map((shortcut) => (
            <div class="shortcuts-help__row" key={shortcut.action} data-testid="shortcut">
              <dt>
                <kbd>{shortcut.key}</kbd>
              </dt>
              <dd>{t(shortcut.description)}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
