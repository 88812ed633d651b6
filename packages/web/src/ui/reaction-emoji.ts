import { ErrorCode, ProtocolError, Reaction } from '@tertulia/protocol';
import { describeError } from '../i18n/error-text.js';
import type { MessageKey, Text } from '../i18n/i18n.js';

/** The one place that turns the protocol's reaction names into what people see: the emoji and its spoken name. */
const LOOKS: Record<Reaction, { emoji: string; name: MessageKey }> = {
  like: { emoji: '👍', name: 'reactions.like' },
  love: { emoji: '❤️', name: 'reactions.love' },
  clap: { emoji: '👏', name: 'reactions.clap' },
  laugh: { emoji: '😂', name: 'reactions.laugh' },
  surprised: { emoji: '😮', name: 'reactions.surprised' },
  boo: { emoji: '👎', name: 'reactions.boo' },
};

/** Every reaction in the protocol's order, as the reaction menu lists them. */
export const REACTIONS = Reaction.options.map((reaction) => ({ reaction, ...LOOKS[reaction] }));

export function looksOf(reaction: Reaction): { emoji: string; name: MessageKey } {
  return LOOKS[reaction];
}

/** Why a reaction was refused: too fast, or chat-muted by a moderator, said for reactions; anything else as any error. */
export function reactionRefusal(error: unknown): Text {
  if (error instanceof ProtocolError && error.code === ErrorCode.RateLimited) return { key: 'reactions.tooFast' };
  if (error instanceof ProtocolError && error.code === ErrorCode.Forbidden) return { key: 'reactions.muted' };
  return describeError(error);
}
