import { ErrorCode } from '@tertulia/protocol';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { JwtVerifier } from '../auth/jwt/jwt-verifier.js';
import { sendError } from './error-reply.js';
import { safeEqual } from './safe-equal.js';

/** Who made an authenticated API request: an API key (every room), or a moderator's token (its rooms). */
export type ApiPrincipal = { kind: 'apiKey' } | { kind: 'jwt'; userId: string };

/** Checks a bearer credential for a request about `roomKey` (a case-folded room name, or '*' for all rooms). */
export interface ApiAuthenticator {
  authenticate(credential: string, roomKey: string): Promise<ApiPrincipal | undefined>;
}

/** The API keys from API_KEYS, compared in constant time. */
export class ApiKeyAuthenticator implements ApiAuthenticator {
  readonly #keys: readonly string[];

  constructor(keys: readonly string[]) {
    this.#keys = keys;
  }

  async authenticate(credential: string): Promise<ApiPrincipal | undefined> {
    // Every key is compared, so the time taken does not tell which one nearly matched.
    const matches = this.#keys.filter((key) => safeEqual(key, credential));
    return matches.length > 0 ? { kind: 'apiKey' } : undefined;
  }
}

/**
 * Jitsi-format tokens, checked like a joining browser's: a token that makes its
 * holder moderator of a room may manage that room; listing every room takes `room: "*"`.
 */
export class JwtApiAuthenticator implements ApiAuthenticator {
  constructor(private readonly verifier: Pick<JwtVerifier, 'verify'>) {}

  async authenticate(credential: string, roomKey: string): Promise<ApiPrincipal | undefined> {
    const identity = await this.verifier.verify(credential, roomKey).catch(() => undefined);
    return identity?.moderator ? { kind: 'jwt', userId: identity.userId } : undefined;
  }
}

/** Accepts what any of its authenticators accepts, tried in order. */
export class AnyApiAuthenticator implements ApiAuthenticator {
  constructor(private readonly authenticators: readonly ApiAuthenticator[]) {}

  async authenticate(credential: string, roomKey: string): Promise<ApiPrincipal | undefined> {
    for (const authenticator of this.authenticators) {
      const principal = await authenticator.authenticate(credential, roomKey);
      if (principal) return principal;
    }
    return undefined;
  }
}

/** The credential in `Authorization: Bearer <credential>`, if any. */
export function bearerCredential(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** A hook answering 401 UNAUTHORIZED unless the request bears a credential `accept` takes. */
export function requireBearer(
  what: string,
  accept: (credential: string, request: FastifyRequest) => boolean | Promise<boolean>,
): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const credential = bearerCredential(request);
    if (credential !== undefined && (await accept(credential, request))) return;
    const message = credential === undefined ? `Send your ${what} as "Authorization: Bearer <${what}>".` : `The ${what} sent is not valid.`;
    return sendError(reply.header('www-authenticate', 'Bearer'), { code: ErrorCode.Unauthorized, message });
  };
}
