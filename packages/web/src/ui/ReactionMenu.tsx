import type { Reaction } from '@tertulia/protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { SmileIcon } from './icons.js';
import { moveMenuFocus } from './menu-keys.js';
import { REACTIONS } from './reaction-emoji.js';
import { ToolbarButton } from './ToolbarButton.js';

const MENU_ID = 'reaction-menu';

/**
 * The toolbar's reaction button and the row of emoji it opens. The row stays open
 * after a pick so several can be sent in a row; Escape, Tab or a click elsewhere closes it.
 */
export function ReactionMenu({ onReact }: { onReact: (reaction: Reaction) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  // The button and the menu both live in the anchor: a click inside it is no click elsewhere.
  const anchor = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) anchor.current?.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !anchor.current?.contains(target)) close(false);
    };
    // Captured so that panels listening for Escape on the document can tell it was handled here.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      close(true);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open, close]);

  const onMenuKey = (event: KeyboardEvent) => {
    if (!moveMenuFocus(event, menu.current) && event.key === 'Tab') close(false);
  };

  return (
    <div class="reaction-anchor" ref={anchor}>
      {open && (
        <div
          class="reaction-menu"
          role="menu"
          id={MENU_ID}
          aria-label={t('reactions.menu')}
          aria-orientation="horizontal"
          ref={menu}
          data-testid="reaction-menu"
          onKeyDown={onMenuKey}
        >
          {REACTIONS.map(({ reaction, emoji, name }) => (
            <button
              key={reaction}
              type="button"
              role="menuitem"
              tabIndex={-1}
              class="reaction-menu__item"
              aria-label={t(name)}
              title={t(name)}
              data-testid={`react-${reaction}`}
              onClick={() => onReact(reaction)}
            >
              <span aria-hidden="true">{emoji}</span>
            </button>
          ))}
        </div>
      )}
      <ToolbarButton
        testId="reactions"
        label={t('reactions.open')}
        aria-haspopup="menu"
        expanded={open}
        controls={MENU_ID}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <SmileIcon />
      </ToolbarButton>
    </div>
  );
}
