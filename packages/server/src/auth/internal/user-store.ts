import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { hashPassword, PasswordHash } from './password-hash.js';

/**
 * Tertulia's own accounts (AUTH_TYPE=internal): one JSON file, DATA_DIR/users.json,
 * readable by its owner only. The CLI changes it (write to a temporary file, then
 * rename, so a reader sees the old file or the new one, never half of one); the
 * server notices each change by the file's identity, size and mtime, without a restart.
 */
export const USERS_FILE = 'users.json';

export function usersFilePath(dataDir: string): string {
  return resolve(dataDir, USERS_FILE);
}

const UserRecord = z.object({
  /** As first typed; logins compare case-insensitively through the record's key. */
  name: z.string(),
  password: PasswordHash,
  created: z.iso.datetime(),
  updated: z.iso.datetime(),
});
export type UserRecord = z.infer<typeof UserRecord>;

const UsersFile = z.object({ version: z.literal(1), users: z.record(z.string(), UserRecord) });

/** A request the store cannot carry out (bad name, duplicate, unknown user, busy, unreadable file); the message says why. */
export class UserStoreError extends Error {
  override readonly name = 'UserStoreError';
}

export const alreadyExists = (name: string) =>
  new UserStoreError(`The user "${name}" already exists; use "tertulia user passwd" to change the password.`);
export const noSuchUser = (name: string) => new UserStoreError(`There is no user "${name}".`);

const MAX_USERNAME_LENGTH = 64;
/** Letters and digits of any script, then also `.`, `_`, `-` and `@` (so an e-mail address works as a name). */
const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]*$/u;

/** The case-folded key of a valid username; throws UserStoreError saying what is wrong with an invalid one. */
export function usernameKey(name: string): string {
  const normalized = name.normalize('NFC');
  if ([...normalized].length > MAX_USERNAME_LENGTH) throw new UserStoreError(`A username has at most ${MAX_USERNAME_LENGTH} characters.`);
  if (!USERNAME_PATTERN.test(normalized)) {
    throw new UserStoreError('A username starts with a letter or digit and may contain only letters, digits, ".", "_", "-" and "@".');
  }
  return normalized.toLowerCase();
}

/** A lock older than this was left by a command that died; it is taken over. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 5_000;

export class UserStore {
  #cache: { signature: string; users: ReadonlyMap<string, UserRecord> } | undefined;

  constructor(readonly path: string) {}

  /** The accounts as the file holds them now; re-read only when the file changed since the last call. */
  async current(): Promise<ReadonlyMap<string, UserRecord>> {
    const info = await stat(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    // A rename gives a new inode, so an edit within one mtime tick is still noticed.
    const signature = info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'absent';
    if (this.#cache?.signature !== signature) this.#cache = { signature, users: await this.#read() };
    return this.#cache.users;
  }

  async list(): Promise<UserRecord[]> {
    return [...(await this.#read()).values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async add(name: string, password: string): Promise<void> {
    const key = usernameKey(name);
    const hashed = await hashPassword(password);
    await this.#update((users, now) => {
      if (users.has(key)) throw alreadyExists(users.get(key)!.name);
      users.set(key, { name: name.normalize('NFC'), password: hashed, created: now, updated: now });
    });
  }

  async setPassword(name: string, password: string): Promise<void> {
    const key = usernameKey(name);
    const hashed = await hashPassword(password);
    await this.#update((users, now) => {
      const user = users.get(key);
      if (!user) throw noSuchUser(name);
      users.set(key, { ...user, password: hashed, updated: now });
    });
  }

  async remove(name: string): Promise<void> {
    const key = usernameKey(name);
    await this.#update((users) => {
      if (!users.delete(key)) throw noSuchUser(name);
    });
  }

  async #read(): Promise<Map<string, UserRecord>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new UserStoreError(`Cannot read ${this.path}: ${(error as Error).message}`);
    }
    let parsed;
    try {
      parsed = UsersFile.safeParse(JSON.parse(text));
    } catch (error) {
      throw new UserStoreError(`${this.path} is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed.success) throw new UserStoreError(`${this.path} is not a Tertulia users file: ${parsed.error.issues[0]?.message}`);
    return new Map(Object.entries(parsed.data.users));
  }

  /** Read, change and write back under a lock, so two commands run at once do not lose each other's change. */
  async #update(change: (users: Map<string, UserRecord>, now: string) => void): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await this.#withLock(async () => {
      const users = await this.#read();
      change(users, new Date().toISOString());
      const file: z.infer<typeof UsersFile> = { version: 1, users: Object.fromEntries(users) };
      await writeAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`);
    });
  }

  async #withLock(critical: () => Promise<void>): Promise<void> {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await (await open(lockPath, 'wx', 0o600)).close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const lockedAt = (await stat(lockPath).catch(() => undefined))?.mtimeMs ?? 0;
        if (Date.now() - lockedAt > STALE_LOCK_MS) {
          await rm(lockPath, { force: true });
        } else if (Date.now() > deadline) {
          throw new UserStoreError(`Another command is changing ${this.path}; try again (or delete ${lockPath} if none is running).`);
        } else {
          await sleep(50);
        }
      }
    }
    try {
      await critical();
    } finally {
      await rm(lockPath, { force: true });
    }
  }
}

/** Temporary file (0600) in the same folder, flushed, renamed over the old file, then the folder flushed so the rename survives a crash. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
