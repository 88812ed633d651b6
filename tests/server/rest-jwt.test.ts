import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

const APP_ID = 'rest-tests';
const SECRET = 'the-rest-api-tests-secret-0123456789';

/** Tokens signed by an independent library, as an integrator's backend would make them. */
const token = (room: string, moderator: boolean, secret = SECRET) =>
  jwt.sign({ iss: APP_ID, aud: APP_ID, room, context: { user: { id: 'ops-1', name: 'Ops', moderator } } }, secret, {
    algorithm: 'HS256',
    expiresIn: '5m',
  });

describe('REST API with Jitsi tokens', () => {
  let server: RunningServer;
  let client: RawClient;
  const call = (path: string, credential: string, method = 'GET', body?: object) =>
    fetch(`${server.opsUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  before(async () => {
    server = await startTestServer({ JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET });
    client = await RawClient.connect(server.url);
    await client.request('join', { room: 'Alpha', displayName: 'Ana' });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('lets a moderator token for the room manage that room', async () => {
    const alpha = token('alpha', true);
    const room = await call('/rooms/Alpha', alpha);
    assert.equal(room.status, 200);
    assert.equal((await room.json()).participants[0].displayName, 'Ana');
    assert.equal((await call('/rooms/Alpha/mute-all', alpha, 'POST', { kind: 'audio' })).status, 200);
  });

  it('lists every room only with a token for every room', async () => {
    assert.equal((await call('/rooms', token('*', true))).status, 200);
    assert.equal((await call('/rooms', token('alpha', true))).status, 401);
  });

  it('refuses non-moderator, other-room, forged and malformed tokens, and changes nothing', async () => {
    for (const [credential, why] of [
      [token('alpha', false), 'not a moderator'],
      [token('beta', true), 'another room'],
      [token('*', true, 'a-different-secret-0123456789abc'), 'forged'],
      ['not.a.token', 'malformed'],
    ] as const) {
      const reply = await call('/rooms/Alpha/end', credential, 'POST');
      assert.equal(reply.status, 401, why);
      assert.equal((await reply.json()).code, 'UNAUTHORIZED');
    }
    assert.equal(server.registry.get('alpha')?.size, 1, 'the meeting is still on');
  });
});
