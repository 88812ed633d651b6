import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from './catalog.js';
import type { Message } from './define.js';
import { LANGUAGES } from './languages.js';

/** Words that are the same in English, Spanish and Italian (REC: what cameras everywhere show while recording). */
const SAME_EVERYWHERE = new Set(['Chat', 'Password', 'OK', 'Tertulia', 'REC', 'E2EE']);

const forms = (message: Message): Record<string, string> => (typeof message === 'string' ? { text: message } : message);
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
/** Text left once placeholders, numbers and punctuation are gone: a value like "{url}: {error}" has none to translate. */
const words = (text: string) => text.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '');

describe('message catalog', () => {
  const english = catalog.en as Record<string, Message>;
  const keys = Object.keys(english).sort();

  it('has messages', () => assert.ok(keys.length > 100, `${keys.length} keys`));

  for (const language of LANGUAGES) {
    const messages = catalog[language] as Record<string, Message>;

    it(`${language}: the same keys as English`, () => assert.deepEqual(Object.keys(messages).sort(), keys));

    it(`${language}: no empty text, the same plural forms and {placeholders} as English`, () => {
      for (const key of keys) {
        const mine = forms(messages[key]!);
        const theirs = forms(english[key]!);
        assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), `${language} ${key}: forms`);
        for (const text of Object.values(mine)) assert.ok(text.trim() !== '', `${language} ${key}: empty`);
        // Across a plural's forms together: "one" may say "Someone" where "other" says "{count} people".
        assert.deepEqual(placeholders(Object.values(mine).join(' ')), placeholders(Object.values(theirs).join(' ')), `${language} ${key}: placeholders`);
      }
    });

    if (language === 'en') continue;
    it(`${language}: translated, not English left in place`, () => {
      const untranslated = keys.filter((key) => {
        const theirs = Object.values(forms(english[key]!));
        const same = JSON.stringify(Object.values(forms(messages[key]!))) === JSON.stringify(theirs);
        return same && theirs.some((text) => words(text) !== '' && !SAME_EVERYWHERE.has(text));
      });
      assert.deepEqual(untranslated, []);
    });
  }
});
