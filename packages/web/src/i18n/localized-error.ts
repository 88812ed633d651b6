import { inEnglish, type Phrase } from './i18n.js';

/**
 * An error raised in the browser with a sentence for people: the interface shows
 * `phrase` in the person's language; `message` stays English for logs and for the
 * iframe API, whose payloads do not change with the interface language.
 */
export class LocalizedError extends Error {
  constructor(readonly phrase: Phrase) {
    super(inEnglish(phrase));
  }
}
