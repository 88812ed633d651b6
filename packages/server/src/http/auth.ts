import { ErrorCode } from '@tertulia/protocol';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { sendError } from './error-reply.js';
import { safeEqual } from './safe-equal.js';

/** Who made an authenticated API request. JWTs (issue 3) add a kind carrying the token's identity and rights. */
export type ApiPrincipal = { kind: 'apiKey' };

/** Checks a bearer credential; the seam where JWT validation joins API keys later. */
export interface ApiAuthenticator {
  authenticate(credential: string): ApiPrincipal | undefined;
}

/** The API keys from API_KEYS, compared in constant time. */
export class ApiKeyAuthenticator implements ApiAuthenticator {
  readonly #keys: readonly string[];

  constructor(keys: readonly string[]) {
    this.#keys = keys;
  }

  authenticate(credential: string): ApiPrincipal | undefined {
    // Every key is compared, so the time taken does not tell which one nearly matched.
    const matches = this.#keys.filter((key) => safeEqual(key, credential));
    return matches.length > 0 ? { kind: 'apiKey' } : undefined;
  }
}

/** The credential in `Authorization: Bearer <credential>`, if any. */
export function bearerCredential(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** A hook answering 401 UNAUTHORIZED unless the request bears a credential `accept` takes. */
export function requireBearer(what: string, accept: (credential: string) => boolean): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const credential = bearerCredential(request);
    if (credential !== undefined && accept(credential)) return done();
    const message = credential === undefined ? `Send your ${what} as "Authorization: Bearer <${what}>".` : `The ${what} sent is not valid.`;
    void sendError(reply.header('www-authenticate', 'Bearer'), { code: ErrorCode.Unauthorized, message });
  };
}
