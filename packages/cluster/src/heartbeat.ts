import type { Logger } from 'pino';
import type { MemberKind, MemberRecords, Registry } from './registry.js';

/** How often members refresh their records; a record lives three periods, so one late refresh loses nothing. */
export const HEARTBEAT_MS = 2_000;
export const RECORD_TTL_MS = 3 * HEARTBEAT_MS;

/**
 * Keeps one member's record fresh in the registry. While Redis is unreachable it keeps
 * trying every period and says so once, and again once it is back: the member goes on
 * working meanwhile (running meetings do not need Redis).
 */
export class Heartbeat<K extends MemberKind> {
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly kind: K,
    private readonly describe: () => MemberRecords[K],
    private readonly logger: Logger,
  ) {}

  /** Announces now (resolving once Redis took it, or rejecting when it cannot be reached), then every HEARTBEAT_MS. */
  async start(): Promise<void> {
    await this.registry.announce(this.kind, this.describe(), RECORD_TTL_MS);
    this.#schedule();
  }

  /** Sends the record now, between periods (its state changed, e.g. it started draining). */
  beat(): Promise<void> {
    return this.#beat();
  }

  /** Stops refreshing and removes the record. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.registry.withdraw(this.kind, this.describe().id).catch((error: Error) => {
      this.logger.warn({ err: error }, `could not remove this ${this.kind} from the registry; it expires within ${RECORD_TTL_MS / 1000} s`);
    });
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#beat().finally(() => this.#schedule()), HEARTBEAT_MS);
    this.#timer.unref();
  }

  async #beat(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.registry.announce(this.kind, this.describe(), RECORD_TTL_MS);
      if (this.#failing) this.logger.info(`registry reachable again; this ${this.kind} is listed`);
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.logger.warn({ err: error }, `registry (Redis) unreachable; retrying every ${HEARTBEAT_MS / 1000} s`);
      this.#failing = true;
    }
  }
}
