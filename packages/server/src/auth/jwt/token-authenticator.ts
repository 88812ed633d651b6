import type { Authenticator, Credentials, Identity } from '../authenticator.js';
import type { JwtVerifier } from './jwt-verifier.js';

/**
 * AUTH_TYPE=jwt, and also anonymous mode when JWT settings exist: a presented
 * token must be valid (so integrators can pass names, avatars and roles); no
 * token means no identity, and the join handler decides (JWT_ALLOW_EMPTY, guests).
 */
export class TokenAuthenticator implements Authenticator {
  readonly #verifier: JwtVerifier;

  constructor(
    readonly type: 'jwt' | 'anonymous',
    verifier: JwtVerifier,
  ) {
    this.#verifier = verifier;
  }

  async authenticate({ jwt }: Credentials, roomKey: string): Promise<Identity | undefined> {
    return jwt ? this.#verifier.verify(jwt, roomKey) : undefined;
  }

  async close(): Promise<void> {}
}
