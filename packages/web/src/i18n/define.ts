import type { Language } from './languages.js';

/** A message: plain text with `{name}` placeholders, or plural forms chosen by the `count` parameter. */
export type Message = string | { one: string; other: string };

/**
 * One area's messages in every language. English defines the keys; the type makes
 * a missing translation a compile error, so no language is ever incomplete.
 */
export function defineMessages<K extends string>(messages: { en: Record<K, Message> } & Record<Exclude<Language, 'en'>, Record<K, Message>>) {
  return messages;
}
