import { ProtocolError } from '@tertulia/protocol';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type KeyObject } from 'jose';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { authenticationFailed } from '../auth-failure.js';
import type { Identity } from '../authenticator.js';
import { AsapKeyStore, KeyUnavailable } from './asap-key-store.js';
import { identityFromContext } from './jitsi-claims.js';

export type JwtSettings = Pick<
  Config,
  'JWT_APP_ID' | 'JWT_APP_SECRET' | 'JWT_ASAP_KEYSERVER' | 'JWT_ACCEPTED_ISSUERS' | 'JWT_ACCEPTED_AUDIENCES' | 'JWT_ENABLE_DOMAIN_VERIFICATION' | 'XMPP_DOMAIN'
>;

/** Clocks of the token issuer and this server may differ this much before exp/nbf bite. */
const CLOCK_TOLERANCE_SECONDS = 30;
const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/**
 * Checks Jitsi-format tokens as Prosody's token plugin does (see the README's JWT
 * section): HS* against JWT_APP_SECRET, RS* against the key server's key for the
 * token's `kid`, then iss, aud, room (and sub with domain verification), with
 * exp/nbf enforced. The key is chosen by the server's settings and the algorithm
 * family together, so an RSA public key can never be used as an HMAC secret and
 * `alg: none` has no key at all.
 */
export class JwtVerifier {
  readonly #secret: Uint8Array | undefined;
  readonly #keys: AsapKeyStore | undefined;
  /** Only the families a key is configured for. */
  readonly #algorithms: readonly string[];
  readonly #issuers: readonly string[];
  readonly #audiences: readonly string[];
  readonly #domain: string | undefined;
  readonly #logger: Logger;

  constructor(settings: JwtSettings & { JWT_APP_ID: string }, logger: Logger) {
    this.#secret = settings.JWT_APP_SECRET === undefined ? undefined : new TextEncoder().encode(settings.JWT_APP_SECRET);
    this.#keys = settings.JWT_ASAP_KEYSERVER === undefined ? undefined : new AsapKeyStore({ baseUrl: settings.JWT_ASAP_KEYSERVER });
    this.#algorithms = [...(this.#secret ? HMAC_ALGORITHMS : []), ...(this.#keys ? RSA_ALGORITHMS : [])];
    this.#issuers = settings.JWT_ACCEPTED_ISSUERS ?? [settings.JWT_APP_ID];
    this.#audiences = settings.JWT_ACCEPTED_AUDIENCES;
    this.#domain = settings.JWT_ENABLE_DOMAIN_VERIFICATION ? settings.XMPP_DOMAIN.toLowerCase() : undefined;
    this.#logger = logger;
  }

  /** The token's identity if it is valid for `roomKey` (a case-folded room name); otherwise throws AUTHENTICATION_FAILED. */
  async verify(token: string, roomKey: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.#keyFor(token), {
        algorithms: [...this.#algorithms],
        typ: 'JWT',
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw this.#refusal(error);
    }
    this.#checkClaims(payload, roomKey);
    return identityFromContext(payload['context']);
  }

  /** The key for the token's algorithm: the secret for HS*, the key server's key for RS* (which needs a kid). */
  async #keyFor(token: string): Promise<Uint8Array | KeyObject> {
    const { alg, kid } = decodeProtectedHeader(token);
    if (this.#secret && HMAC_ALGORITHMS.includes(alg ?? '')) return this.#secret;
    if (this.#keys && RSA_ALGORITHMS.includes(alg ?? '')) {
      if (typeof kid !== 'string' || kid === '') throw authenticationFailed('The token has no "kid" header, so its key cannot be looked up.');
      return this.#keys.publicKey(kid);
    }
    throw authenticationFailed(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted here (accepted: ${this.#algorithms.join(', ')}).`);
  }

  #checkClaims(payload: JWTPayload, roomKey: string): void {
    const { iss, aud, room, sub } = payload;
    if (typeof iss !== 'string' || !(this.#issuers.includes('*') || this.#issuers.includes(iss))) {
      throw authenticationFailed('The token was issued by an issuer this server does not accept ("iss").');
    }
    const audiences = typeof aud === 'string' ? [aud] : (aud ?? []);
    if (audiences.length === 0 || !(this.#audiences.includes('*') || audiences.some((value) => this.#audiences.includes(value)))) {
      throw authenticationFailed('The token is meant for another audience ("aud").');
    }
    if (typeof room !== 'string' || (room !== '*' && room.normalize('NFC').toLowerCase() !== roomKey)) {
      throw authenticationFailed('The token is not valid for this room.');
    }
    if (this.#domain !== undefined && (typeof sub !== 'string' || (sub !== '*' && sub.toLowerCase() !== this.#domain))) {
      throw authenticationFailed('The token is for another domain ("sub").');
    }
  }

  #refusal(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    if (error instanceof KeyUnavailable && error.unknownKid) {
      this.#logger.warn({ reason: error.message }, 'a token names a kid the key server does not know');
      return authenticationFailed('The key server has no key for this token ("kid").');
    }
    if (error instanceof KeyUnavailable) {
      this.#logger.error({ reason: error.message }, 'cannot get a token\'s public key from JWT_ASAP_KEYSERVER');
      return authenticationFailed('The key server that vouches for this token could not be reached; try again in a moment.');
    }
    if (error instanceof errors.JWTExpired) return authenticationFailed('The token has expired.');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return authenticationFailed('The token is not valid yet ("nbf").');
    if (error instanceof errors.JWSSignatureVerificationFailed) return authenticationFailed('The token\'s signature is not valid.');
    if (error instanceof errors.JOSEError) return authenticationFailed(`The token is not valid: ${error.message}.`);
    // decodeProtectedHeader throws plain errors for text that is not a JWT at all.
    return authenticationFailed('The token is not a valid JWT.');
  }
}
