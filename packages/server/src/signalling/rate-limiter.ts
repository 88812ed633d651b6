/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  #tokens: number;
  #last = performance.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    if (!this.available()) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Whether a token is there, without taking it. */
  available(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
    return this.#tokens >= 1;
  }
}

/** String keys (addresses) kept at most; past that all are forgotten, so a flood of addresses only resets counters. */
const MAX_STRING_KEYS = 10_000;

/**
 * A token bucket per key, made on first use. An object key (a participant) is
 * forgotten with the object; string keys (client addresses) are kept up to a bound.
 */
export class BucketsPer<K extends object | string> {
  readonly #objects = new WeakMap<object, TokenBucket>();
  readonly #strings = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** Takes one token from `key`'s bucket; false when it is empty. */
  take(key: K): boolean {
    let bucket = this.#find(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, this.burst);
      if (typeof key !== 'string') this.#objects.set(key, bucket);
      else {
        if (this.#strings.size >= MAX_STRING_KEYS) this.#strings.clear();
        this.#strings.set(key, bucket);
      }
    }
    return bucket.take();
  }

  /** Whether `key` has a token, without taking it (true for a key never seen). */
  available(key: K): boolean {
    return this.#find(key)?.available() ?? true;
  }

  #find(key: K): TokenBucket | undefined {
    return typeof key === 'string' ? this.#strings.get(key) : this.#objects.get(key);
  }
}
