import type { Language } from './languages.js';
import type { Message } from './define.js';
import { common } from './messages/common.js';
import { participants } from './messages/participants.js';
import { shortcuts } from './messages/shortcuts.js';
import { views } from './messages/views.js';

/**
 * Every area's messages. Add an area here after creating its file in messages/;
 * keys are prefixed with the area's name so areas never collide.
 */
const areas = [common, views, participants, shortcuts] as const;

type Area = (typeof areas)[number];
type Keys<A> = A extends { en: Record<infer K, Message> } ? K : never;
export type MessageKey = Keys<Area>;

export const catalog = Object.fromEntries(
  (['en', 'es', 'it'] as const).map((language) => [language, Object.assign({}, ...areas.map((area) => area[language]))]),
) as Record<Language, Record<MessageKey, Message>>;
