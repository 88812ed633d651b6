import { randomUUID } from 'node:crypto';
import { Limits } from '@tertulia/protocol';
import type { Identity } from '../authenticator.js';

/** `context.user.affiliation` values that make a moderator (jitsi-meet's mod_token_affiliation). */
const MODERATOR_AFFILIATIONS = new Set(['owner', 'moderator', 'teacher']);

/**
 * A verified token's `context` as an Identity. Tokens come from integrators'
 * code, so every field is optional and loosely typed, as Jitsi reads them: a
 * field of the wrong type is ignored rather than failing the join.
 */
export function identityFromContext(context: unknown): Identity {
  const user = record(record(context)['user']);
  const email = text(user['email']);
  return {
    // Without an id the token names nobody in particular; a fresh id keeps two such people apart.
    userId: text(user['id']) ?? email ?? `token:${randomUUID()}`,
    displayName: text(user['name'])?.slice(0, Limits.maxDisplayNameLength),
    email,
    avatar: httpUrl(user['avatar']),
    moderator: user['moderator'] === true || user['moderator'] === 'true' || MODERATOR_AFFILIATIONS.has(String(user['affiliation'])),
    features: features(record(context)['features']),
  };
}

/** `context.features`: booleans, or Jitsi's "true"/"false" strings; anything else is dropped. */
function features(value: unknown): Record<string, boolean> {
  // fromEntries defines own properties, so a "__proto__" feature cannot reach the object's prototype.
  return Object.fromEntries(
    Object.entries(record(value)).flatMap(([name, flag]): [string, boolean][] => {
      if (flag === true || flag === 'true') return [[name, true]];
      if (flag === false || flag === 'false') return [[name, false]];
      return [];
    }),
  );
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Avatars are shown as images by other browsers, so only http(s) URLs pass (no javascript:, data: or file:). */
function httpUrl(value: unknown): string | undefined {
  const candidate = text(value);
  if (!candidate || !URL.canParse(candidate)) return undefined;
  const { protocol } = new URL(candidate);
  return protocol === 'https:' || protocol === 'http:' ? candidate : undefined;
}
