import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { catalog, type MessageKey } from './catalog.js';
import { isLanguage, pickLanguage, type Language } from './languages.js';
import { localStore } from '../page-storage.js';

export type { MessageKey } from './catalog.js';

/** A message to translate when it is shown, so text kept in state follows a language change. */
export interface Phrase {
  key: MessageKey;
  params?: Params;
}
/** A parameter may itself be a phrase ("A guest" in "{name} joined"), translated along with its message. */
export type Params = Record<string, string | number | Phrase>;
/** Something to show: a phrase, or a string shown as is (a name, the server's own words, text already translated). */
export type Text = string | Phrase;

const STORAGE_KEY = 'tertulia.language';
const listeners = new Set<(language: Language) => void>();

function storedLanguage(): Language | undefined {
  const value = localStore.get(STORAGE_KEY);
  return isLanguage(value) ? value : undefined;
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
  if (remember) localStore.set(STORAGE_KEY, next);
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
  return translate(current, key, params);
}

/** A text in the current language. */
export function say(text: Text): string {
  return typeof text === 'string' ? text : t(text.key, text.params);
}

/** A phrase in English whatever the interface language: for error messages that also go to logs and the iframe API. */
export function inEnglish(phrase: Phrase): string {
  return translate('en', phrase.key, phrase.params ?? {});
}

/** The message's text for `params` (the plural form by `count`), before its placeholders are filled. */
export function template(language: Language, key: MessageKey, params: Params = {}): string {
  const message = catalog[language][key] ?? catalog.en[key] ?? key;
  if (typeof message === 'string') return message;
  return new Intl.PluralRules(language).select(Number(params['count'])) === 'one' ? message.one : message.other;
}

function translate(language: Language, key: MessageKey, params: Params): string {
  return template(language, key, params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? translate(language, value.key, value.params ?? {}) : String(value);
  });
}

/** Provided at the root with the current language, so every component using `useI18n` re-renders when it changes. */
export const LanguageContext = createContext<Language>(current);

/** `t` for components: reading the context subscribes the component to language changes. */
export function useI18n(): { t: typeof t; language: Language } {
  const language = useContext(LanguageContext);
  return { t, language };
}
