import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator, loadConfig, type Authenticator, type Credentials, type RunningServer } from '@tertulia/server';
import pino from 'pino';
import { runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

const ANA_PASSWORD = 'correct horse battery';
const ANA_NEW_PASSWORD = 'Ünïcödé staple 42';
const WRONG_LOGIN = 'Wrong username or password.';

/** Resolves to the identity's display name, or to the AUTHENTICATION_FAILED message. */
async function login(auth: Authenticator, credentials: Credentials): Promise<string> {
  try {
    const identity = await auth.authenticate(credentials, 'room');
    return `ok:${identity?.displayName}`;
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'AUTHENTICATION_FAILED');
    return (error as Error).message;
  }
}

describe('internal accounts: the tertulia user CLI and the authenticator', () => {
  let scratch: string;
  let dataDir: string;
  let auth: Authenticator;
  const cli = (args: string[], input?: string) => runCli(['user', ...args], { cwd: scratch, env: { DATA_DIR: dataDir }, input });

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'tertulia-users-'));
    // Not there yet: the first `user add` creates it.
    dataDir = join(scratch, 'data');
    // Created before any account exists: everything below is picked up from the file without a restart.
    auth = createAuthenticator(loadConfig({ ENABLE_AUTH: '1', AUTH_TYPE: 'internal', DATA_DIR: dataDir }), pino({ level: 'silent' }));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it('adds a user from standard input, and the running authenticator accepts the right password only', async () => {
    assert.equal(await login(auth, { username: 'ana', password: ANA_PASSWORD }), WRONG_LOGIN);
    const added = await cli(['add', 'Ana'], `${ANA_PASSWORD}\n`);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stderr, /Added "Ana"/);

    assert.equal(await login(auth, { username: 'ana', password: ANA_PASSWORD }), 'ok:Ana');
    assert.equal(await login(auth, { username: 'ANA', password: ANA_PASSWORD }), 'ok:Ana', 'usernames are case-insensitive');
    assert.equal(await login(auth, { username: 'ana', password: 'correct horse battery ' }), WRONG_LOGIN);
    assert.equal(await login(auth, { username: 'ana', password: 'Correct horse battery' }), WRONG_LOGIN);
    assert.equal(await login(auth, { username: 'nobody', password: ANA_PASSWORD }), WRONG_LOGIN);
    assert.equal(await login(auth, { username: 'ana*', password: ANA_PASSWORD }), WRONG_LOGIN);
    assert.match(await login(auth, { username: 'ana', password: '' }), /both your username and your password/);
    assert.equal(await auth.authenticate({}, 'room'), undefined);
  });

  it('stores scrypt hashes with their parameters, no plaintext, readable by its owner only', async () => {
    assert.equal((await cli(['add', 'bob', '--password-stdin'], `${ANA_PASSWORD}\n`)).code, 0);
    const path = join(dataDir, 'users.json');
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes(ANA_PASSWORD) && !text.includes(Buffer.from(ANA_PASSWORD).toString('base64')), 'no plaintext');
    const file = JSON.parse(text);
    const [ana, bob] = [file.users.ana.password, file.users.bob.password];
    for (const hash of [ana, bob]) {
      assert.equal(hash.algorithm, 'scrypt');
      assert.ok(hash.N >= 2 ** 15 && hash.r >= 8 && hash.p >= 1, JSON.stringify(hash));
    }
    assert.notEqual(ana.salt, bob.salt, 'a salt per user');
    assert.notEqual(ana.hash, bob.hash, 'same password, different hashes');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700, 'the data folder the CLI made is private too');
    assert.deepEqual((await readdir(dataDir)).sort(), ['users.json'], 'no temporary or lock files left behind');
  });

  it('lists users', async () => {
    const listed = await cli(['list']);
    assert.equal(listed.code, 0);
    assert.equal(listed.stdout, 'Ana\nbob\n');
  });

  it('changes a password: the old one stops working at once, the new one works', async () => {
    const changed = await cli(['passwd', 'ANA'], `${ANA_NEW_PASSWORD}\r\n`);
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(await login(auth, { username: 'ana', password: ANA_PASSWORD }), WRONG_LOGIN);
    assert.equal(await login(auth, { username: 'ana', password: ANA_NEW_PASSWORD }), 'ok:Ana');
    // The same password typed with decomposed accents (as some keyboards send it) is the same password.
    assert.equal(await login(auth, { username: 'ana', password: ANA_NEW_PASSWORD.normalize('NFD') }), 'ok:Ana');
  });

  it('removes a user, who can no longer log in', async () => {
    const removed = await cli(['remove', 'bob']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(await login(auth, { username: 'bob', password: ANA_PASSWORD }), WRONG_LOGIN);
    assert.equal((await cli(['list'])).stdout, 'Ana\n');
  });

  it('refuses bad requests with a message and an exit code', async () => {
    const cases: Array<[string[], string | undefined, number, RegExp]> = [
      [['add', 'ana'], `${ANA_PASSWORD}\n`, 1, /already exists/],
      [['add', 'bad name'], `${ANA_PASSWORD}\n`, 1, /letters, digits/],
      [['add', '../etc'], `${ANA_PASSWORD}\n`, 1, /letters, digits/],
      [['add', 'carol'], 'short\n', 2, /at least 8/],
      [['add', 'carol'], '', 2, /at least 8/],
      [['passwd', 'nobody'], `${ANA_PASSWORD}\n`, 1, /no user "nobody"/],
      [['remove', 'nobody'], undefined, 1, /no user "nobody"/],
      [['frobnicate'], undefined, 2, /Usage/],
      [['add'], undefined, 2, /Usage/],
      [['add', 'carol', '--bogus'], undefined, 2, /Unknown option/],
    ];
    for (const [args, input, code, message] of cases) {
      const result = await cli(args, input);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.equal((await cli(['list'])).stdout, 'Ana\n', 'nothing changed');
  });

  it('loses no change when several commands write at once', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const results = await Promise.all(names.map((name) => cli(['add', name], `${ANA_PASSWORD}\n`)));
    assert.deepEqual(results.map((result) => result.code), [0, 0, 0, 0, 0], results.map((result) => result.stderr).join(''));
    assert.equal((await cli(['list'])).stdout, ['Ana', ...names].map((name) => `${name}\n`).join(''));
    for (const name of names) assert.equal(await login(auth, { username: name, password: ANA_PASSWORD }), `ok:${name}`);
  });

  it('refuses logins, without crashing, when the users file is damaged', async () => {
    const path = join(dataDir, 'users.json');
    const good = await readFile(path, 'utf8');
    await writeFile(path, '{ "version": 1, "users": ');
    assert.match(await login(auth, { username: 'ana', password: ANA_NEW_PASSWORD }), /not working on this server/);
    await writeFile(path, good);
    assert.equal(await login(auth, { username: 'ana', password: ANA_NEW_PASSWORD }), 'ok:Ana');
  });

  describe('through a running server', () => {
    let server: RunningServer;
    before(async () => {
      server = await startTestServer({ ENABLE_AUTH: '1', AUTH_TYPE: 'internal', DATA_DIR: dataDir });
    });
    after(() => server.close());

    it('asks for a login, refuses a wrong one, and lets the right one in', async () => {
      const client = await RawClient.connect(server.url);
      try {
        const anonymous = await client.request('join', { room: 'team', displayName: 'Someone' });
        assert.equal(anonymous.error?.code, 'AUTHENTICATION_REQUIRED');
        const wrong = await client.request('join', { room: 'team', displayName: 'Someone', auth: { username: 'ana', password: 'guess-guess' } });
        assert.equal(wrong.error?.code, 'AUTHENTICATION_FAILED');
        const right = await client.request('join', { room: 'team', displayName: 'Someone', auth: { username: 'Ana', password: ANA_NEW_PASSWORD } });
        assert.equal(right.ok, true, JSON.stringify(right.error));
        assert.equal(right.data.status, 'joined');
        assert.equal(right.data.meeting.self.displayName, 'Ana');
      } finally {
        client.close();
      }
    });
  });
});
