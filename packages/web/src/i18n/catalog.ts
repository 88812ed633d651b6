import type { Language } from './languages.js';
import type { Message } from './define.js';
import { common } from './messages/common.js';
import { welcome } from './messages/welcome.js';
import { prejoin } from './messages/prejoin.js';
import { join } from './messages/join.js';
import { call } from './messages/call.js';
import { toolbar } from './messages/toolbar.js';
import { settings } from './messages/settings.js';
import { chat } from './messages/chat.js';
import { moderation } from './messages/moderation.js';
import { notices } from './messages/notices.js';
import { errors } from './messages/errors.js';
import { selftest } from './messages/selftest.js';
import { polls } from './messages/polls.js';
import { speakerStats } from './messages/speaker-stats.js';
import { hands } from './messages/hands.js';
import { reactions } from './messages/reactions.js';
import { participants } from './messages/participants.js';
import { shortcuts } from './messages/shortcuts.js';
import { views } from './messages/views.js';
import { breakout } from './messages/breakout.js';
import { connection } from './messages/connection.js';
import { videoQuality } from './messages/video-quality.js';
import { recording } from './messages/recording.js';
import { e2ee } from './messages/e2ee.js';

/**
 * Every area's messages. Add an area here after creating its file in messages/;
 * keys are prefixed with the area's name so areas never collide.
 */
const areas = [
  common, welcome, prejoin, join, call, toolbar, settings, chat, moderation, notices, errors, selftest,
  views, participants, shortcuts, hands, reactions, polls, speakerStats,
  breakout, connection, videoQuality, recording, e2ee,
] as const;

type Area = (typeof areas)[number];
type Keys<A> = A extends { en: Record<infer K, Message> } ? K : never;
export type MessageKey = Keys<Area>;

export const catalog = Object.fromEntries(
  (['en', 'es', 'it'] as const).map((language) => [language, Object.assign({}, ...areas.map((area) => area[language]))]),
) as Record<Language, Record<MessageKey, Message>>;
