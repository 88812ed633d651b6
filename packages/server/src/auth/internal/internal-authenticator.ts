import type { Logger } from 'pino';
import { authenticationFailed, LOGIN_BROKEN, WRONG_LOGIN } from '../auth-failure.js';
import type { Authenticator, Credentials, Identity } from '../authenticator.js';
import { hashPassword, verifyPassword, type PasswordHash } from './password-hash.js';
import { usernameKey, type UserStore } from './user-store.js';

/** AUTH_TYPE=internal: the accounts `tertulia user …` keeps in DATA_DIR/users.json. */
export class InternalAuthenticator implements Authenticator {
  readonly type = 'internal';
  readonly #store: UserStore;
  readonly #logger: Logger;
  /** Checked against when the account does not exist, so that answer takes as long as a wrong password. */
  readonly #decoy: Promise<PasswordHash> = hashPassword('decoy password for unknown accounts');

  constructor(store: UserStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  async authenticate({ username, password }: Credentials): Promise<Identity | undefined> {
    if (!username && !password) return undefined;
    if (!username || !password) throw authenticationFailed('Enter both your username and your password.');
    let key: string;
    try {
      key = usernameKey(username);
    } catch {
      throw authenticationFailed(WRONG_LOGIN);
    }
    const user = (await this.#users()).get(key);
    const matches = await verifyPassword(password, user?.password ?? (await this.#decoy));
    if (!user || !matches) {
      this.#logger.info({ username: key, known: user !== undefined }, 'login refused');
      throw authenticationFailed(WRONG_LOGIN);
    }
    return { userId: key, displayName: user.name, moderator: false, features: {} };
  }

  async close(): Promise<void> {}

  async #users() {
    try {
      return await this.#store.current();
    } catch (error) {
      // A damaged or unreadable users file is the administrator's problem, not the person logging in.
      this.#logger.error({ err: error, path: this.#store.path }, 'cannot read the users file');
      throw authenticationFailed(LOGIN_BROKEN);
    }
  }
}
