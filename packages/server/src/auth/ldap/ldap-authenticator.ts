import { Client, InvalidCredentialsError, ResultCodeError, type Entry } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import { Limits, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { authenticationFailed, LOGIN_BROKEN, WRONG_LOGIN } from '../auth-failure.js';
import type { Authenticator, Credentials, Identity } from '../authenticator.js';
import { escapeDnValue, escapeFilterValue, expandLoginTemplate } from './ldap-escape.js';
import { ldapTlsOptions } from './ldap-tls.js';

export type LdapSettings = Pick<
  Config,
  | 'LDAP_URL'
  | 'LDAP_BASE'
  | 'LDAP_BINDDN'
  | 'LDAP_BINDPW'
  | 'LDAP_FILTER'
  | 'LDAP_AUTH_METHOD'
  | 'LDAP_START_TLS'
  | 'LDAP_TLS_CHECK_PEER'
  | 'LDAP_TLS_CACERT_FILE'
  | 'LDAP_TLS_CACERT_DIR'
  | 'LDAP_TLS_CIPHERS'
>;

/** saslauthd's ldap_timeout and ldap_time_limit (5 s): per connection attempt, per operation, and the server's search time. */
const TIMEOUT_MS = 5_000;
/** A whole login (connect, StartTLS, service bind, search, user bind) never takes longer than this. */
const LOGIN_DEADLINE_MS = 12_000;
/** Longer logins are refused before anything is sent; no directory has names like that. */
const MAX_LOGIN_LENGTH = 256;
const ATTRIBUTES = ['displayName', 'cn', 'mail'];

/** The directory's answer that it could not be reached: every error that is not an LDAP result. */
const UNREACHABLE = 'The login directory could not be reached; try again in a moment, and tell the site\'s administrator if it persists.';

/** The service account (LDAP_BINDDN) was refused: a setup problem, reported as such. */
class ServiceAccountRefused extends Error {}

/**
 * AUTH_TYPE=ldap, talking to the directory directly (no saslauthd) with saslauthd's
 * two bind methods: `bind` searches the login's entry (as LDAP_BINDDN, or
 * anonymously) and binds as it with the password; `fastbind` binds straight to
 * the DN LDAP_FILTER spells. One short-lived connection per login.
 */
export class LdapAuthenticator implements Authenticator {
  readonly type = 'ldap';
  readonly #settings: LdapSettings & { LDAP_URL: string };
  readonly #tls: ConnectionOptions;
  readonly #logger: Logger;
  readonly #clients = new Set<Client>();

  constructor(settings: LdapSettings & { LDAP_URL: string }, logger: Logger) {
    this.#settings = settings;
    this.#tls = ldapTlsOptions(settings, new URL(settings.LDAP_URL).hostname);
    this.#logger = logger;
  }

  async authenticate({ username, password }: Credentials): Promise<Identity | undefined> {
    if (!username && !password) return undefined;
    // An empty password would make an "unauthenticated bind", which many directories answer with success.
    if (!username || !password) throw authenticationFailed('Enter both your username and your password.');
    if (username.length > MAX_LOGIN_LENGTH) throw authenticationFailed(WRONG_LOGIN);

    const client = new Client({
      url: this.#settings.LDAP_URL,
      connectTimeout: TIMEOUT_MS,
      timeout: TIMEOUT_MS,
      // ldapts speaks TLS from the first byte whenever tlsOptions is given, so only ldaps:// gets them here.
      ...(this.#settings.LDAP_URL.startsWith('ldaps://') ? { tlsOptions: { ...this.#tls } } : {}),
    });
    this.#clients.add(client);
    let deadline: NodeJS.Timeout | undefined;
    try {
      const overdue = new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error(`no answer within ${LOGIN_DEADLINE_MS} ms`)), LOGIN_DEADLINE_MS);
      });
      return await Promise.race([this.#login(client, username, password), overdue]);
    } catch (error) {
      throw this.#refusal(error, username);
    } finally {
      clearTimeout(deadline);
      this.#clients.delete(client);
      await client.unbind().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients].map((client) => client.unbind().catch(() => {})));
  }

  async #login(client: Client, login: string, password: string): Promise<Identity> {
    // The upgrade comes first, so neither the service password nor the user's crosses the network in clear.
    if (this.#settings.LDAP_START_TLS) await client.startTLS({ ...this.#tls });
    const entry =
      this.#settings.LDAP_AUTH_METHOD === 'fastbind'
        ? await this.#bindDirectly(client, login, password)
        : await this.#searchThenBind(client, login, password);
    return {
      userId: entry.dn,
      displayName: (firstValue(entry, 'displayName') ?? firstValue(entry, 'cn') ?? login).slice(0, Limits.maxDisplayNameLength),
      email: firstValue(entry, 'mail'),
      moderator: false,
      features: {},
    };
  }

  async #searchThenBind(client: Client, login: string, password: string): Promise<Entry> {
    const { LDAP_BINDDN: serviceDn, LDAP_BINDPW: servicePassword } = this.#settings;
    if (serviceDn && servicePassword) {
      try {
        await client.bind(serviceDn, servicePassword);
      } catch (error) {
        if (error instanceof ResultCodeError) throw new ServiceAccountRefused(error.message);
        throw error;
      }
    }
    const expanded = expandLoginTemplate(this.#settings.LDAP_FILTER, login, escapeFilterValue);
    // docker-jitsi-meet's default filter is written without parentheses (uid=%u's "uid=%u").
    const filter = expanded.startsWith('(') ? expanded : `(${expanded})`;
    const { searchEntries } = await client.search(this.#settings.LDAP_BASE ?? '', {
      scope: 'sub',
      filter,
      attributes: ATTRIBUTES,
      sizeLimit: 2,
      timeLimit: TIMEOUT_MS / 1000,
    });
    if (searchEntries.length !== 1) {
      if (searchEntries.length > 1) this.#logger.warn({ login, filter }, 'LDAP_FILTER matches more than one entry; refusing the login');
      throw authenticationFailed(WRONG_LOGIN);
    }
    const entry = searchEntries[0]!;
    await client.bind(entry.dn, password);
    return entry;
  }

  async #bindDirectly(client: Client, login: string, password: string): Promise<Entry> {
    const dn = expandLoginTemplate(this.#settings.LDAP_FILTER, login, escapeDnValue);
    await client.bind(dn, password);
    // Name and e-mail, if the directory lets people read their own entry; the login stands without them.
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ATTRIBUTES, timeLimit: TIMEOUT_MS / 1000 });
      return searchEntries[0] ?? { dn };
    } catch (error) {
      if (error instanceof ResultCodeError) return { dn };
      throw error;
    }
  }

  /** Turns whatever went wrong into the AUTHENTICATION_FAILED a person sees, logging what the administrator needs. */
  #refusal(error: unknown, login: string): Error {
    if (error instanceof InvalidCredentialsError) {
      this.#logger.info({ login }, 'login refused by the directory');
      return authenticationFailed(WRONG_LOGIN);
    }
    if (error instanceof ServiceAccountRefused) {
      this.#logger.error({ bindDn: this.#settings.LDAP_BINDDN, reason: error.message }, 'the directory refused LDAP_BINDDN/LDAP_BINDPW');
      return authenticationFailed(LOGIN_BROKEN);
    }
    if (error instanceof ResultCodeError) {
      this.#logger.error({ err: error, login }, 'the directory refused the login search');
      return authenticationFailed(LOGIN_BROKEN);
    }
    if (error instanceof ProtocolError) return error;
    this.#logger.error({ err: error, url: this.#settings.LDAP_URL }, 'cannot reach the LDAP directory');
    return authenticationFailed(UNREACHABLE);
  }
}

function firstValue(entry: Entry, attribute: string): string | undefined {
  const value = entry[attribute];
  const first = Array.isArray(value) ? value[0] : value;
  const text = Buffer.isBuffer(first) ? first.toString('utf8') : first;
  return text?.trim() || undefined;
}
