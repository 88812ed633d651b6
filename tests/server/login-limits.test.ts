import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

describe('failed logins are rate-limited per address', () => {
  let server: RunningServer;
  let dataDir: string;
  const clients: RawClient[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tertulia-limits-'));
    const added = await runCli(['user', 'add', 'rosa', '--password-stdin'], { env: { DATA_DIR: dataDir }, cwd: dataDir, input: 'correct-horse\n' });
    assert.equal(added.code, 0, added.stderr);
    server = await startTestServer({ ENABLE_AUTH: '1', AUTH_TYPE: 'internal', DATA_DIR: dataDir });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const tryLogin = async (password: string, localAddress?: string) => {
    const client = await RawClient.connect(server.url, localAddress);
    clients.push(client);
    return client.request('join', { room: 'Office', displayName: '', auth: { username: 'rosa', password } });
  };

  it('refuses guesses, then makes that address wait even for the right password; others are unaffected', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await tryLogin(`guess-${i}`)).error!.code);
    assert.deepEqual(codes.slice(0, 5), Array(5).fill('AUTHENTICATION_FAILED'));
    assert.deepEqual(codes.slice(5), ['RATE_LIMITED', 'RATE_LIMITED']);
    assert.equal((await tryLogin('correct-horse')).error?.code, 'RATE_LIMITED');
    const elsewhere = await tryLogin('correct-horse', '127.0.0.3');
    assert.equal(elsewhere.data?.status, 'joined');
    assert.equal(elsewhere.data.meeting.self.role, 'moderator');
  });
});
