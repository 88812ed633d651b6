import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, createAuthenticator, loadConfig, loadRedisUrl } from '@tertulia/server';
import pino from 'pino';
import { refusal } from '../support/config.js';

const SECRET = 'a-secret-of-enough-length';


describe('auth configuration', () => {
  it('defaults to docker-jitsi-meet\'s: auth off, AUTH_TYPE internal, uid=%u, bind, LDAPv3, any audience', () => {
    const config = loadConfig({});
    assert.equal(config.ENABLE_AUTH, false);
    assert.equal(config.ENABLE_GUESTS, false);
    assert.equal(config.AUTH_TYPE, 'internal');
    assert.equal(config.LDAP_FILTER, 'uid=%u');
    assert.equal(config.LDAP_AUTH_METHOD, 'bind');
    assert.equal(config.LDAP_VERSION, 3);
    assert.equal(config.LDAP_TLS_CHECK_PEER, false);
    assert.deepEqual(config.JWT_ACCEPTED_AUDIENCES, ['*']);
    assert.equal(config.JWT_ACCEPTED_ISSUERS, undefined, 'unset means JWT_APP_ID');
    assert.equal(config.DATA_DIR, './data');
  });

  it('reads switches in docker-jitsi-meet\'s spellings', () => {
    for (const [value, expected] of [['1', true], ['0', false], ['true', true], ['false', false], ['TRUE', true], ['yes', true], ['off', false]] as const) {
      assert.equal(loadConfig({ ENABLE_GUESTS: value }).ENABLE_GUESTS, expected, value);
    }
    assert.match(refusal({ ENABLE_AUTH: 'maybe' }), /ENABLE_AUTH: must be 1 or 0/);
  });

  it('takes the scale-out settings together, and refuses the combinations that cannot work', () => {
    const node = loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.5:6379/2', BRIDGE_SECRET: 'a-long-shared-bridge-secret', MEDIA_WORKERS: '0', REGION: 'eu-west' });
    assert.equal(node.MEDIA_WORKERS, 0);
    assert.equal(node.BRIDGE_PORT, 8090);
    assert.equal(node.BRIDGE_DRAIN_MODE, 'move');
    assert.match(refusal({ REDIS_URL: 'redis://10.0.0.5:6379' }), /BRIDGE_SECRET: REDIS_URL is set, so BRIDGE_SECRET is required/);
    assert.match(refusal({ MEDIA_WORKERS: '0' }), /MEDIA_WORKERS: MEDIA_WORKERS=0 leaves this server without media; it needs REDIS_URL/);
    assert.match(refusal({ REDIS_URL: 'http://10.0.0.5:6379', BRIDGE_SECRET: 'a-long-shared-bridge-secret' }), /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.match(refusal({ REDIS_URL: 'redis://10.0.0.5', BRIDGE_SECRET: 'short' }), /BRIDGE_SECRET: must be at least 16 characters/);
    assert.match(refusal({ REGION: 'eu west' }), /REGION: must be a short name/);
    assert.match(refusal({ BRIDGE_DRAIN_MODE: 'never' }), /BRIDGE_DRAIN_MODE/);
    assert.equal(loadConfig({ BRIDGE_MAX_PARTICIPANTS: '80' }).BRIDGE_MAX_PARTICIPANTS, 80);
    assert.match(refusal({ BRIDGE_MAX_PARTICIPANTS: '0' }), /BRIDGE_MAX_PARTICIPANTS/);
    // `tertulia status` needs only the address.
    assert.equal(loadRedisUrl({ REDIS_URL: 'redis://10.0.0.5:6379' }), 'redis://10.0.0.5:6379');
  });

  it('takes JSON booleans and lists from the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tertulia-config-'));
    try {
      const file = join(dir, 'tertulia.json');
      await writeFile(file, JSON.stringify({ ENABLE_AUTH: true, AUTH_TYPE: 'jwt', JWT_APP_ID: 'app', JWT_APP_SECRET: SECRET, JWT_ACCEPTED_ISSUERS: ['a', 'b'], LDAP_VERSION: 3 }));
      const config = loadConfig({ TERTULIA_CONFIG: file });
      assert.equal(config.ENABLE_AUTH, true);
      assert.deepEqual(config.JWT_ACCEPTED_ISSUERS, ['a', 'b']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts a backend\'s settings incomplete while ENABLE_AUTH is off', () => {
    assert.equal(loadConfig({ AUTH_TYPE: 'ldap' }).AUTH_TYPE, 'ldap');
    assert.equal(loadConfig({ AUTH_TYPE: 'jwt' }).AUTH_TYPE, 'jwt');
  });

  it('refuses impossible JWT combinations, saying what to set', () => {
    assert.match(refusal({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: 'app' }), /AUTH_TYPE=jwt needs JWT_APP_SECRET .* or JWT_ASAP_KEYSERVER/);
    assert.match(refusal({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_SECRET: SECRET }), /JWT_APP_ID is required/);
    assert.match(refusal({ JWT_APP_SECRET: SECRET }), /JWT_APP_ID is required/, 'anonymous mode verifies tokens too, so it needs the issuer');
    assert.match(refusal({ JWT_APP_ID: 'app', JWT_APP_SECRET: 'short' }), /JWT_APP_SECRET: must be at least 16 characters/);
    assert.match(refusal({ JWT_APP_ID: 'app', JWT_ASAP_KEYSERVER: 'ftp://keys.example.org' }), /JWT_ASAP_KEYSERVER/);
  });

  it('refuses impossible LDAP combinations, saying what to set', () => {
    const ldap = { ENABLE_AUTH: '1', AUTH_TYPE: 'ldap' };
    const refused = {
      noUrl: refusal({ ...ldap, LDAP_BASE: 'dc=example,dc=org' }),
      noBase: refusal({ ...ldap, LDAP_URL: 'ldap://ldap.example.org' }),
      bothTls: refusal({ ...ldap, LDAP_URL: 'ldaps://ldap.example.org', LDAP_BASE: 'dc=x', LDAP_USE_TLS: '1', LDAP_START_TLS: '1' }),
      useTlsOnLdap: refusal({ ...ldap, LDAP_URL: 'ldap://ldap.example.org', LDAP_BASE: 'dc=x', LDAP_USE_TLS: '1' }),
      startTlsOnLdaps: refusal({ ...ldap, LDAP_URL: 'ldaps://ldap.example.org', LDAP_BASE: 'dc=x', LDAP_START_TLS: '1' }),
      halfServiceAccount: refusal({ ...ldap, LDAP_URL: 'ldap://ldap.example.org', LDAP_BASE: 'dc=x', LDAP_BINDDN: 'cn=svc,dc=x' }),
      filterWithoutLogin: refusal({ LDAP_FILTER: '(objectClass=person)' }),
      unknownToken: refusal({ LDAP_FILTER: '(&(uid=%u)(host=%s))' }),
      fastbindFilter: refusal({ LDAP_AUTH_METHOD: 'fastbind', LDAP_FILTER: '(uid=%u)' }),
      custom: refusal({ LDAP_AUTH_METHOD: 'custom' }),
      version2: refusal({ LDAP_VERSION: '2' }),
      gnutlsCiphers: refusal({ LDAP_TLS_CIPHERS: 'SECURE256:SECURE128' }),
      notLdapUrl: refusal({ LDAP_URL: 'http://ldap.example.org' }),
    };
    assert.match(refused.noUrl, /LDAP_URL: AUTH_TYPE=ldap needs LDAP_URL/);
    assert.match(refused.noBase, /LDAP_BASE: AUTH_TYPE=ldap needs LDAP_BASE/);
    assert.match(refused.bothTls, /LDAP_USE_TLS .* or LDAP_START_TLS .* not both/);
    assert.match(refused.useTlsOnLdap, /LDAP_USE_TLS=1 needs an ldaps:\/\/ URL/);
    assert.match(refused.startTlsOnLdaps, /LDAP_START_TLS=1 needs an ldap:\/\/ URL/);
    assert.match(refused.halfServiceAccount, /both LDAP_BINDDN and LDAP_BINDPW/);
    assert.match(refused.filterWithoutLogin, /LDAP_FILTER: must contain %u/);
    assert.match(refused.unknownToken, /only the tokens %u, %U, %d and %%/);
    assert.match(refused.fastbindFilter, /fastbind, LDAP_FILTER is the user's DN/);
    assert.match(refused.custom, /custom .* is not supported/);
    assert.match(refused.version2, /LDAP_VERSION: only 3/);
    assert.match(refused.gnutlsCiphers, /LDAP_TLS_CIPHERS: is not a cipher list OpenSSL accepts/);
    assert.match(refused.notLdapUrl, /LDAP_URL/);
  });

  it('accepts an LDAP setup docker-jitsi-meet users already have', () => {
    const config = loadConfig({
      ENABLE_AUTH: '1',
      AUTH_TYPE: 'ldap',
      LDAP_URL: 'ldaps://ldap.example.org/',
      LDAP_BASE: 'DC=example,DC=domain,DC=com',
      LDAP_BINDDN: 'CN=binduser,OU=users,DC=example,DC=domain,DC=com',
      LDAP_BINDPW: 'LdapUserPassw0rd',
      LDAP_FILTER: '(sAMAccountName=%u)',
      LDAP_AUTH_METHOD: 'bind',
      LDAP_VERSION: '3',
      LDAP_USE_TLS: '1',
      LDAP_TLS_CIPHERS: 'HIGH:!aNULL',
      LDAP_TLS_CHECK_PEER: '1',
      LDAP_START_TLS: '0',
    });
    assert.equal(config.LDAP_USE_TLS, true);
  });

  it('stops the start when LDAP_TLS_CACERT_FILE cannot be read', () => {
    const config = loadConfig({ ENABLE_AUTH: '1', AUTH_TYPE: 'ldap', LDAP_URL: 'ldaps://ldap.example.org', LDAP_BASE: 'dc=x', LDAP_TLS_CACERT_FILE: '/nonexistent/ca.pem' });
    assert.throws(() => createAuthenticator(config, pino({ level: 'silent' })), (error: Error) => error instanceof ConfigError && /LDAP_TLS_CACERT_FILE: cannot read \/nonexistent\/ca.pem/.test(error.message));
  });
});

describe('media configuration', () => {
  it('takes CHANNEL_LAST_N as -1 (all, the default) or a count, and refuses anything else saying what fits', () => {
    assert.equal(loadConfig({}).CHANNEL_LAST_N, -1);
    assert.equal(loadConfig({ CHANNEL_LAST_N: '0' }).CHANNEL_LAST_N, 0);
    assert.equal(loadConfig({ CHANNEL_LAST_N: '4' }).CHANNEL_LAST_N, 4);
    assert.match(refusal({ CHANNEL_LAST_N: '-2' }), /CHANNEL_LAST_N: must be -1 \(all videos\) or 0 and up/);
    assert.match(refusal({ CHANNEL_LAST_N: '2.5' }), /CHANNEL_LAST_N: must be a whole number/);
    assert.match(refusal({ CHANNEL_LAST_N: 'many' }), /CHANNEL_LAST_N: must be a whole number/);
  });
});
