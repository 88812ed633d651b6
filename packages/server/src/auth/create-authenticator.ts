import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config.js';
import { AnonymousAuthenticator } from './anonymous-authenticator.js';
import type { Authenticator } from './authenticator.js';
import { InternalAuthenticator } from './internal/internal-authenticator.js';
import { usersFilePath, UserStore } from './internal/user-store.js';
import { JwtVerifier } from './jwt/jwt-verifier.js';
import { TokenAuthenticator } from './jwt/token-authenticator.js';
import { LdapAuthenticator } from './ldap/ldap-authenticator.js';

/**
 * The Authenticator the configuration asks for: anonymous unless ENABLE_AUTH,
 * then AUTH_TYPE's backend. Throws ConfigError for settings that only show up
 * as wrong when used (an unreadable CA file).
 */
export function createAuthenticator(config: Config, logger: Logger): Authenticator {
  const verifier = jwtVerifier(config, logger);
  if (!config.ENABLE_AUTH) {
    logger.info({ tokensChecked: verifier !== undefined }, 'authentication off: anyone with a room link may join');
    return verifier ? new TokenAuthenticator('anonymous', verifier) : new AnonymousAuthenticator();
  }
  logger.info({ authType: config.AUTH_TYPE, guests: config.ENABLE_GUESTS }, 'authentication on');
  switch (config.AUTH_TYPE) {
    case 'internal':
      return new InternalAuthenticator(new UserStore(usersFilePath(config.DATA_DIR)), logger);
    case 'jwt':
      if (!verifier) throw new ConfigError('AUTH_TYPE=jwt needs JWT_APP_ID and JWT_APP_SECRET or JWT_ASAP_KEYSERVER.');
      return new TokenAuthenticator('jwt', verifier);
    case 'ldap': {
      const { LDAP_URL } = config;
      if (!LDAP_URL) throw new ConfigError('AUTH_TYPE=ldap needs LDAP_URL.');
      const encrypted = LDAP_URL.startsWith('ldaps://') || config.LDAP_START_TLS;
      if (!encrypted) logger.warn('LDAP passwords cross the network in clear: use an ldaps:// LDAP_URL or LDAP_START_TLS=1');
      else if (!config.LDAP_TLS_CHECK_PEER) logger.warn('LDAP_TLS_CHECK_PEER is off: the directory\'s certificate is not verified');
      return new LdapAuthenticator({ ...config, LDAP_URL }, logger);
    }
  }
}

/** The token checker, when a key to check tokens with is configured: AUTH_TYPE=jwt needs it, anonymous mode and the REST API use it if present. */
export function jwtVerifier(config: Config, logger: Logger): JwtVerifier | undefined {
  const { JWT_APP_ID } = config;
  if (!JWT_APP_ID || (!config.JWT_APP_SECRET && !config.JWT_ASAP_KEYSERVER)) return undefined;
  return new JwtVerifier({ ...config, JWT_APP_ID }, logger);
}
