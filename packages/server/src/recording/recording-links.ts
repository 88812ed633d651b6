import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { safeEqual } from '../http/safe-equal.js';

/** Session folders are hex ids; files are plain names in them. Nothing else is ever served. */
const SESSION = /^[0-9a-f]{16}$/;
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * Download links for finished recordings, for moderators: the path and an expiry,
 * signed with HMAC-SHA256 under a key kept in DATA_DIR (0600), so links survive a
 * restart and nobody can make one for another file or a later time.
 */
export class RecordingLinks {
  private constructor(private readonly key: Buffer) {}

  /** Loads the signing key, making it on first use. */
  static async open(dataDir: string): Promise<RecordingLinks> {
    const path = join(dataDir, 'recording-links.key');
    try {
      return new RecordingLinks(await readFile(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const key = randomBytes(32);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, key, { mode: 0o600, flag: 'wx' }).catch(async (writeError: NodeJS.ErrnoException) => {
        // Another process made it first: use theirs.
        if (writeError.code !== 'EEXIST') throw writeError;
      });
      return new RecordingLinks(await readFile(path));
    }
  }

  /** The path and query of a link to `file` in session `sessionId`, valid for `ttlSeconds`. */
  link(sessionId: string, file: string, ttlSeconds: number, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + ttlSeconds;
    return `/recordings/${sessionId}/${encodeURIComponent(file)}?expires=${expires}&sig=${this.#sign(sessionId, file, expires)}`;
  }

  /** Whether a requested link is one we made and has not expired; only well-formed names pass. */
  verify(sessionId: string, file: string, expires: string | undefined, sig: string | undefined, now = Date.now()): boolean {
    if (!SESSION.test(sessionId) || !FILE.test(file) || expires === undefined || sig === undefined || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 < now) return false;
    return safeEqual(sig, this.#sign(sessionId, file, Number(expires)));
  }

  #sign(sessionId: string, file: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${sessionId}/${file}\n${expires}`).digest('base64url');
  }
}

export function isSessionId(value: string): boolean {
  return SESSION.test(value);
}
