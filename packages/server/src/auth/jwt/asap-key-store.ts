import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** Why a token's public key could not be had; the verifier turns it into a refusal. */
export class KeyUnavailable extends Error {
  override readonly name = 'KeyUnavailable';

  constructor(
    message: string,
    /** The key server answered, and has no key for this kid (as opposed to being down or serving garbage). */
    readonly unknownKid = false,
  ) {
    super(message);
  }
}

export interface AsapKeyStoreOptions {
  /** JWT_ASAP_KEYSERVER. */
  baseUrl: string;
  /** How long a fetched key is trusted before it is fetched again, so a key the issuer rotated out stops working. */
  ttlMs?: number;
  /** Keys kept at once (Prosody's jwt_pubkey_cache_size). */
  maxKeys?: number;
  fetchTimeoutMs?: number;
}

/** A PEM public key is a few hundred bytes (RSA-4096: ~800); anything much larger is not one. */
const MAX_PEM_BYTES = 16 * 1024;

/**
 * RS256/384/512 public keys from an ASAP key server, as Prosody fetches them:
 * GET <JWT_ASAP_KEYSERVER>/<hex(sha256(kid))>.pem. Hashing the kid also means a
 * token cannot steer the request to another path. Keys are cached (LRU, with a
 * TTL) and concurrent requests for one kid share a single fetch.
 */
export class AsapKeyStore {
  readonly #baseUrl: string;
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  readonly #fetchTimeoutMs: number;
  readonly #keys = new Map<string, { key: KeyObject; expires: number }>();
  readonly #pending = new Map<string, Promise<KeyObject>>();

  constructor(options: AsapKeyStoreOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#ttlMs = options.ttlMs ?? 60 * 60_000;
    this.#maxKeys = options.maxKeys ?? 128;
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
  }

  async publicKey(kid: string): Promise<KeyObject> {
    const cached = this.#keys.get(kid);
    if (cached && cached.expires > Date.now()) {
      // Re-inserting keeps the Map in least-recently-used order.
      this.#keys.delete(kid);
      this.#keys.set(kid, cached);
      return cached.key;
    }
    let pending = this.#pending.get(kid);
    if (!pending) {
      pending = this.#fetch(kid).finally(() => this.#pending.delete(kid));
      this.#pending.set(kid, pending);
    }
    return pending;
  }

  async #fetch(kid: string): Promise<KeyObject> {
    const url = `${this.#baseUrl}/${createHash('sha256').update(kid).digest('hex')}.pem`;
    let pem: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.#fetchTimeoutMs) });
      if (!response.ok) throw new KeyUnavailable(`the key server answered ${response.status} for ${url}`, response.status === 404);
      pem = await response.text();
    } catch (error) {
      if (error instanceof KeyUnavailable) throw error;
      throw new KeyUnavailable(`cannot fetch ${url}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    if (pem.length > MAX_PEM_BYTES) throw new KeyUnavailable(`${url} is not a PEM public key (too large)`);
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new KeyUnavailable(`${url} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new KeyUnavailable(`${url} holds a ${key.asymmetricKeyType} key; RS256/384/512 need an RSA key`);
    this.#keys.set(kid, { key, expires: Date.now() + this.#ttlMs });
    if (this.#keys.size > this.#maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    return key;
  }
}
