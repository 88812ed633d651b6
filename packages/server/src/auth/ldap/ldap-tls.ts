import { readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, readSettingFile, type Config } from '../../config.js';

type TlsSettings = Pick<Config, 'LDAP_TLS_CHECK_PEER' | 'LDAP_TLS_CACERT_FILE' | 'LDAP_TLS_CACERT_DIR' | 'LDAP_TLS_CIPHERS'>;

/**
 * TLS options for ldaps:// and StartTLS alike. With LDAP_TLS_CHECK_PEER the
 * directory's certificate must chain to the given CAs (or Node's bundled ones)
 * and name `host`; `host` is passed explicitly because a StartTLS upgrade has no
 * host of its own to check the certificate against.
 */
export function ldapTlsOptions(settings: TlsSettings, host: string): ConnectionOptions {
  const ca = [
    ...(settings.LDAP_TLS_CACERT_FILE ? [readSettingFile(settings.LDAP_TLS_CACERT_FILE, 'LDAP_TLS_CACERT_FILE')] : []),
    ...(settings.LDAP_TLS_CACERT_DIR ? readCaDir(settings.LDAP_TLS_CACERT_DIR) : []),
  ];
  return {
    host,
    // SNI carries names only; sending an IP address there is refused by RFC 6066.
    ...(isIP(host) ? {} : { servername: host }),
    rejectUnauthorized: settings.LDAP_TLS_CHECK_PEER,
    ...(ca.length > 0 ? { ca } : {}),
    ...(settings.LDAP_TLS_CIPHERS ? { ciphers: settings.LDAP_TLS_CIPHERS } : {}),
    minVersion: 'TLSv1.2',
  };
}

/** The PEM files in a CA folder (OpenSSL's hash-named links point at the same files, so only .pem/.crt are read). */
function readCaDir(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new ConfigError(`LDAP_TLS_CACERT_DIR: cannot read ${dir}: ${(error as Error).message}`);
  }
  return names.filter((name) => /\.(pem|crt)$/i.test(name)).map((name) => readSettingFile(join(dir, name), 'LDAP_TLS_CACERT_DIR'));
}
