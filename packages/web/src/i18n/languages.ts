/** The languages the interface is complete in; English is the fallback. */
export const LANGUAGES = ['en', 'es', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the language picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', it: 'Italiano' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The supported language a tag names: "es-AR", "es_AR" and Jitsi's "esUS" count as "es". */
export function languageOf(tag: string): Language | undefined {
  const trimmed = tag.trim();
  const base = (/^[a-z]+(?=[A-Z])/.exec(trimmed)?.[0] ?? trimmed.split(/[-_]/)[0] ?? '').toLowerCase();
  return isLanguage(base) ? base : undefined;
}

/** The first supported language among the browser's preferences, else English. */
export function pickLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return 'en';
}
