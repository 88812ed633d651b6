import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { catalog, type MessageKey } from './catalog.js';
import { isLanguage, pickLanguage, type Language } from './languages.js';

export type { MessageKey } from './catalog.js';
export type Params = Record<string, string | number>;

const STORAGE_KEY = 'tertulia.language';
const listeners = new Set<(language: Language) => void>();

function storedLanguage(): Language | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    // Storage can be off (private mode, sandboxed iframe): the browser's languages decide.
    return undefined;
  }
}

let current: Language = storedLanguage() ?? pickLanguage(typeof navigator === 'undefined' ? [] : navigator.languages);

export function language(): Language {
  return current;
}

/**
 * Changes the interface language. `remember` keeps the choice for next time (the
 * person picked it in settings); a language from the page's config is not remembered.
 */
export function setLanguage(next: Language, { remember = true } = {}): void {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but still applied.
    }
  }
  if (next === current) return;
  current = next;
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Params = {}): string {
  const message = catalog[current][key] ?? catalog.en[key] ?? key;
  const text = typeof message === 'string' ? message : message[new Intl.PluralRules(current).select(Number(params['count'])) === 'one' ? 'one' : 'other'];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Provided at the root with the current language, so every component using `useI18n` re-renders when it changes. */
export const LanguageContext = createContext<Language>(current);

/** `t` for components: reading the context subscribes the component to language changes. */
export function useI18n(): { t: typeof t; language: Language } {
  const language = useContext(LanguageContext);
  return { t, language };
}
