import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator, loadConfig, type Authenticator, type Credentials } from '@tertulia/server';
import pino from 'pino';
import { freePort, PEOPLE, SERVICE_DN, SERVICE_PASSWORD, startSlapd, type Slapd } from '../support/slapd.js';

const ANA = { uid: 'ana', password: 'ana-s3cret-pass', cn: 'Ana Garcia', displayName: 'Ana García', mail: 'ana@example.org' };
const BOB = { uid: 'bob', password: 'bob-s3cret-pass', cn: 'Bob Stone' };
const ADMIN = { uid: 'admin', password: 'admin-s3cret-pass', cn: 'Admin Istrator' };
const WRONG_LOGIN = 'Wrong username or password.';

/** Log lines the authenticator wrote, to check what the administrator is told (and that no password is). */
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });

function ldapAuthenticator(settings: Record<string, string>): Authenticator {
  return createAuthenticator(loadConfig({ ENABLE_AUTH: '1', AUTH_TYPE: 'ldap', LDAP_BASE: PEOPLE, ...settings }), logger);
}

/** Resolves to the Identity, or to the AUTHENTICATION_FAILED error's message. */
async function attempt(authenticator: Authenticator, credentials: Credentials): Promise<{ identity?: unknown; refused?: string }> {
  try {
    return { identity: await authenticator.authenticate(credentials, 'room') };
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'AUTHENTICATION_FAILED', String(error));
    return { refused: (error as Error).message };
  }
}

describe('LDAP authentication against a real OpenLDAP', () => {
  let slapd: Slapd;
  before(async () => {
    slapd = await startSlapd([ANA, BOB, ADMIN]);
  });
  after(async () => {
    await slapd?.stop();
    const leaked = logLines.filter((line) => [ANA, BOB, ADMIN].some((user) => line.includes(user.password)) || line.includes(SERVICE_PASSWORD));
    assert.deepEqual(leaked, [], 'no password reaches the log');
  });

  describe('bind-and-search with a service account', () => {
    let ldap: Authenticator;
    before(() => {
      ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_BINDDN: SERVICE_DN, LDAP_BINDPW: SERVICE_PASSWORD });
    });
    after(() => ldap.close());

    it('accepts the right password and reads the name and e-mail from the entry', async () => {
      assert.deepEqual(await ldap.authenticate({ username: 'ana', password: ANA.password }, 'room'), {
        userId: `uid=ana,${PEOPLE}`,
        displayName: 'Ana García',
        email: 'ana@example.org',
        moderator: false,
        features: {},
      });
      assert.equal(ldap.type, 'ldap');
    });

    it('falls back to cn when there is no displayName, and matches the login case-insensitively', async () => {
      const { identity } = await attempt(ldap, { username: 'BOB', password: BOB.password });
      assert.deepEqual(identity, { userId: `uid=bob,${PEOPLE}`, displayName: 'Bob Stone', email: undefined, moderator: false, features: {} });
    });

    it('refuses a wrong password and an unknown user with the same message', async () => {
      assert.deepEqual(await attempt(ldap, { username: 'ana', password: 'not-her-password' }), { refused: WRONG_LOGIN });
      assert.deepEqual(await attempt(ldap, { username: 'nobody', password: ANA.password }), { refused: WRONG_LOGIN });
    });

    it('refuses an empty password instead of making an unauthenticated bind', async () => {
      const { refused } = await attempt(ldap, { username: 'ana', password: '' });
      assert.match(refused!, /both your username and your password/);
    });

    it('returns no identity when no credentials are presented', async () => {
      assert.equal(await ldap.authenticate({}, 'room'), undefined);
    });

    it('does not let filter injection log anyone in', async () => {
      const attacks = ['*', '*)(uid=*', 'admin)(|(uid=*', 'ana)(|(objectClass=*', 'an*', '*)(|(userPassword=*)', 'ana\u0000', '\\2a'];
      for (const username of attacks) {
        for (const password of [ANA.password, ADMIN.password, 'x']) {
          assert.deepEqual(await attempt(ldap, { username, password }), { refused: WRONG_LOGIN }, `${JSON.stringify(username)} must not log in`);
        }
      }
    });

    it('reports a refused service account as a setup problem, not a wrong password', async () => {
      const misconfigured = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_BINDDN: SERVICE_DN, LDAP_BINDPW: 'wrong-service-password' });
      const { refused } = await attempt(misconfigured, { username: 'ana', password: ANA.password });
      assert.match(refused!, /not working on this server/);
      assert.ok(logLines.some((line) => line.includes('LDAP_BINDDN/LDAP_BINDPW') && line.includes('"level":50')));
    });
  });

  it('searches anonymously when LDAP_BINDDN is not set, with docker-jitsi-meet\'s default filter', async () => {
    const ldap = ldapAuthenticator({ LDAP_URL: slapd.url });
    assert.equal((await attempt(ldap, { username: 'ana', password: ANA.password })).refused, undefined);
    assert.deepEqual(await attempt(ldap, { username: 'ana', password: BOB.password }), { refused: WRONG_LOGIN });
  });

  it('expands a parenthesised filter with %U and %d', async () => {
    const ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_FILTER: '(&(objectClass=inetOrgPerson)(uid=%U)(mail=%U@%d))' });
    assert.equal((await attempt(ldap, { username: 'ana@example.org', password: ANA.password })).refused, undefined);
    assert.deepEqual(await attempt(ldap, { username: 'ana@example.com', password: ANA.password }), { refused: WRONG_LOGIN });
  });

  describe('direct bind (LDAP_AUTH_METHOD=fastbind)', () => {
    let ldap: Authenticator;
    before(() => {
      ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_AUTH_METHOD: 'fastbind', LDAP_FILTER: `uid=%u,${PEOPLE}` });
    });

    it('binds as the DN the template spells and reads the entry as that user', async () => {
      const { identity } = await attempt(ldap, { username: 'ana', password: ANA.password });
      assert.deepEqual(identity, { userId: `uid=ana,${PEOPLE}`, displayName: 'Ana García', email: 'ana@example.org', moderator: false, features: {} });
    });

    it('refuses a wrong password, an unknown user and DN injection', async () => {
      assert.deepEqual(await attempt(ldap, { username: 'ana', password: BOB.password }), { refused: WRONG_LOGIN });
      assert.deepEqual(await attempt(ldap, { username: 'nobody', password: 'whatever-pass' }), { refused: WRONG_LOGIN });
      for (const username of [`ana,${PEOPLE}`, 'bob+uid=ana', 'admin,ou=services', '*', 'ana\\']) {
        assert.deepEqual(await attempt(ldap, { username, password: ANA.password }), { refused: WRONG_LOGIN }, `${JSON.stringify(username)}`);
      }
    });
  });

  describe('TLS', () => {
    it('upgrades with StartTLS and verifies the certificate against LDAP_TLS_CACERT_FILE', async () => {
      const ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_START_TLS: '1', LDAP_TLS_CHECK_PEER: '1', LDAP_TLS_CACERT_FILE: slapd.caFile });
      assert.equal((await attempt(ldap, { username: 'ana', password: ANA.password })).refused, undefined);
      assert.deepEqual(await attempt(ldap, { username: 'ana', password: 'wrong-password' }), { refused: WRONG_LOGIN });
    });

    it('refuses a certificate it cannot trust when LDAP_TLS_CHECK_PEER is on', async () => {
      for (const settings of [{ LDAP_TLS_CACERT_FILE: slapd.otherCaFile }, {}] as Record<string, string>[]) {
        const ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_START_TLS: '1', LDAP_TLS_CHECK_PEER: 'true', ...settings });
        const { refused } = await attempt(ldap, { username: 'ana', password: ANA.password });
        assert.match(refused!, /could not be reached/);
      }
      assert.ok(logLines.some((line) => /self.signed|unable to (get|verify)/i.test(line)), 'the log says why');
    });

    it('accepts the same certificate with LDAP_TLS_CHECK_PEER off (docker-jitsi-meet\'s default)', async () => {
      const ldap = ldapAuthenticator({ LDAP_URL: slapd.url, LDAP_START_TLS: '1' });
      assert.equal((await attempt(ldap, { username: 'ana', password: ANA.password })).refused, undefined);
    });

    it('speaks ldaps:// with LDAP_USE_TLS', async () => {
      const ldap = ldapAuthenticator({ LDAP_URL: slapd.ldapsUrl, LDAP_USE_TLS: '1', LDAP_TLS_CHECK_PEER: '1', LDAP_TLS_CACERT_FILE: slapd.caFile });
      assert.equal((await attempt(ldap, { username: 'ana', password: ANA.password })).refused, undefined);
      const untrusted = ldapAuthenticator({ LDAP_URL: slapd.ldapsUrl, LDAP_USE_TLS: '1', LDAP_TLS_CHECK_PEER: '1', LDAP_TLS_CACERT_FILE: slapd.otherCaFile });
      assert.match((await attempt(untrusted, { username: 'ana', password: ANA.password })).refused!, /could not be reached/);
    });
  });

  describe('a directory that is not there', () => {
    it('fails quickly with "could not be reached" when nothing listens', async () => {
      const ldap = ldapAuthenticator({ LDAP_URL: `ldap://127.0.0.1:${await freePort()}` });
      const started = performance.now();
      const { refused } = await attempt(ldap, { username: 'ana', password: ANA.password });
      assert.match(refused!, /could not be reached/);
      assert.ok(performance.now() - started < 1000, 'refused within a second');
      assert.ok(logLines.some((line) => line.includes('cannot reach the LDAP directory') && line.includes('"level":50')));
    });

    it('gives up on a directory that accepts the connection but never answers', async () => {
      const sockets = new Set<Socket>();
      const silent: Server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const ldap = ldapAuthenticator({ LDAP_URL: `ldap://127.0.0.1:${port}`, LDAP_BINDDN: SERVICE_DN, LDAP_BINDPW: SERVICE_PASSWORD });
        const started = performance.now();
        assert.match((await attempt(ldap, { username: 'ana', password: ANA.password })).refused!, /could not be reached/);
        assert.ok(performance.now() - started < 13_000, 'within the login deadline');
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });
  });
});
