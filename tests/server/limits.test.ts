import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, RawClient, type JoinedClient } from '../support/ws-client.js';

/** Opens a connection from `localAddress`: the client if the server keeps it, or the reason it closed it with at once. */
async function connect(server: RunningServer, localAddress: string): Promise<RawClient | string> {
  const client = await RawClient.connect(server.url, localAddress);
  const outcome = await Promise.race([client.closed, sleep(300)]);
  if (!outcome) return client;
  assert.equal(outcome.code, CloseCode.Refused);
  return outcome.reason;
}

describe('limits against abuse', () => {
  const clients: RawClient[] = [];
  const keep = <T extends RawClient | JoinedClient>(c: T): T => (clients.push('client' in c ? c.client : c), c);
  after(() => clients.forEach((c) => c.close()));

  describe('a connection that does not join', () => {
    let server: RunningServer;
    before(async () => (server = await startTestServer({ JOIN_TIMEOUT_SECONDS: '1' })));
    after(() => server.close());

    it('is closed after JOIN_TIMEOUT_SECONDS, unless it joined, waits in a lobby or runs a self-test', async () => {
      const idle = keep(await RawClient.connect(server.url));
      const host = keep(await joinAs(server.url, 'Patient', 'Host'));
      assert.equal((await host.client.request('setLobby', { enabled: true })).ok, true);
      const knocker = keep(await RawClient.connect(server.url));
      assert.equal((await knocker.request('join', { room: 'Patient', displayName: 'Kim' })).data.status, 'waiting');
      const tester = keep(await RawClient.connect(server.url));
      assert.equal((await tester.request('selfTest')).ok, true);
      const leaver = keep(await joinAs(server.url, 'Brief', 'Lea'));
      assert.equal((await leaver.client.request('leave')).ok, true);

      assert.deepEqual(await idle.closed, { code: CloseCode.JoinTimeout, reason: 'join timeout' });
      assert.equal((await leaver.client.closed).code, CloseCode.JoinTimeout, 'having left, it is idle again');
      await sleep(1500);
      for (const [who, client] of [['joined', host.client], ['knocking', knocker], ['self-testing', tester]] as const) {
        assert.equal(client.socket.readyState, client.socket.OPEN, `the ${who} connection stays open`);
      }
    });
  });

  describe('per address', () => {
    let server: RunningServer;
    before(async () => {
      server = await startTestServer({
        MAX_CONNECTIONS_PER_IP: '3',
        CONNECTIONS_PER_IP_PER_MINUTE: '5',
        JOINS_PER_IP_PER_MINUTE: '4',
        NEW_ROOMS_PER_IP_PER_MINUTE: '2',
      });
    });
    after(() => server.close());

    it('caps the connections open at once (TOO_MANY_CONNECTIONS) and counts closed ones out', async () => {
      const open = [];
      for (let i = 0; i < 3; i++) open.push(keep((await connect(server, '127.0.0.2')) as RawClient));
      assert.equal(await connect(server, '127.0.0.2'), 'TOO_MANY_CONNECTIONS');
      assert.ok((await connect(server, '127.0.0.3')) instanceof RawClient, 'another address gets in');
      open[0]!.close();
      await open[0]!.closed;
      assert.ok((await connect(server, '127.0.0.2')) instanceof RawClient, 'a freed place is taken again');
    });

    it('refuses new connections past the minute’s allowance (RATE_LIMITED), even one at a time', async () => {
      for (let i = 0; i < 5; i++) {
        const client = await connect(server, '127.0.0.4');
        assert.ok(client instanceof RawClient, `connection ${i + 1} is let in`);
        client.close();
        await client.closed;
      }
      assert.equal(await connect(server, '127.0.0.4'), 'RATE_LIMITED');
      assert.ok((await connect(server, '127.0.0.5')) instanceof RawClient);
    });

    it('refuses joins past the minute’s allowance, on one connection too', async () => {
      keep(await joinAs(server.url, 'Lounge', 'Keeper', {}, '127.0.0.7'));
      const client = keep(await RawClient.connect(server.url, '127.0.0.6'));
      for (let i = 0; i < 4; i++) {
        assert.equal((await client.request('join', { room: 'Lounge', displayName: 'Jo' })).data?.status, 'joined');
        assert.equal((await client.request('leave')).ok, true);
      }
      const refused = await client.request('join', { room: 'Lounge', displayName: 'Jo' });
      assert.equal(refused.error?.code, 'RATE_LIMITED');
      assert.equal(server.registry.get('lounge')!.size, 1, 'a refused join takes no seat');
      keep(await joinAs(server.url, 'Lounge', 'Other', {}, '127.0.0.11'));
    });

    it('refuses opening meetings past the minute’s allowance, while running ones can still be joined', async () => {
      keep(await joinAs(server.url, 'Running', 'Host', {}, '127.0.0.9'));
      keep(await joinAs(server.url, 'First', 'Nia', {}, '127.0.0.8'));
      keep(await joinAs(server.url, 'Second', 'Nia', {}, '127.0.0.8'));
      const third = keep(await RawClient.connect(server.url, '127.0.0.8'));
      assert.equal((await third.request('join', { room: 'Third', displayName: 'Nia' })).error?.code, 'RATE_LIMITED');
      assert.equal(server.registry.get('third'), undefined);
      assert.equal((await third.request('join', { room: 'Running', displayName: 'Nia' })).data?.status, 'joined');
      keep(await joinAs(server.url, 'Third', 'Ola', {}, '127.0.0.10'));
    });
  });

  describe('per server', () => {
    let server: RunningServer;
    before(async () => (server = await startTestServer({ MAX_PARTICIPANTS: '3', MAX_ROOMS: '3' })));
    after(() => server.close());

    it('MAX_PARTICIPANTS counts a meeting with its breakout rooms; knockers wait until a seat is free', async () => {
      const [ana, bea] = [keep(await joinAs(server.url, 'Full', 'Ana')), keep(await joinAs(server.url, 'Full', 'Bea'))];
      const carl = keep(await joinAs(server.url, 'Full', 'Carl'));
      const { room } = (await ana.client.request('createBreakoutRoom', { name: 'Side' })).data;
      assert.equal((await ana.client.request('sendToBreakoutRoom', { participantId: bea.id, roomId: room.id })).ok, true);
      await bea.client.waitFor((m) => m.method === 'moved');
      const dan = keep(await RawClient.connect(server.url));
      assert.equal((await dan.request('join', { room: 'Full', displayName: 'Dan' })).error?.code, 'ROOM_FULL');
      assert.equal((await ana.client.request('setLobby', { enabled: true })).ok, true);
      assert.equal((await dan.request('join', { room: 'Full', displayName: 'Dan' })).error?.code, 'ROOM_FULL', 'no knocking at a full meeting');

      assert.equal((await carl.client.request('leave')).ok, true);
      assert.equal((await dan.request('join', { room: 'Full', displayName: 'Dan' })).data?.status, 'waiting');
      const eve = keep(await RawClient.connect(server.url));
      assert.equal((await eve.request('join', { room: 'Full', displayName: 'Eve' })).data?.status, 'waiting');
      const knocks = await ana.client.waitFor((m) => m.method === 'lobbyUpdated' && m.data.knocking.length === 2);
      const [danKnock, eveKnock] = knocks.data.knocking;
      assert.equal((await ana.client.request('answerKnock', { knockerId: danKnock.id, approved: true })).ok, true);
      await dan.waitFor((m) => m.method === 'admitted');
      assert.equal((await ana.client.request('answerKnock', { knockerId: eveKnock.id, approved: true })).error?.code, 'ROOM_FULL');
      assert.equal((await ana.client.request('setLobby', { enabled: false })).ok, true, 'turning the lobby off lets in only whom seats allow');
      assert.equal(server.registry.get('full')!.lobby.size, 1, 'Eve still waits');
      assert.equal(eve.messages.some((m) => m.method === 'admitted'), false);
    });

    it('MAX_ROOMS counts breakout rooms; past it new meetings are SERVER_BUSY and running ones still take people', async () => {
      // "Full" and its breakout room are two rooms; one more fits.
      const host = keep(await joinAs(server.url, 'Second', 'Host'));
      const late = keep(await RawClient.connect(server.url));
      assert.equal((await late.request('join', { room: 'Third', displayName: 'Lu' })).error?.code, 'SERVER_BUSY');
      assert.equal((await host.client.request('createBreakoutRoom', { name: 'More' })).error?.code, 'SERVER_BUSY');
      assert.equal(server.registry.rooms().length, 3);
      assert.equal((await late.request('join', { room: 'Second', displayName: 'Lu' })).data?.status, 'joined');

      await host.client.request('leave');
      await late.request('leave');
      assert.equal((await late.request('join', { room: 'Third', displayName: 'Lu' })).data?.status, 'joined', 'a freed room can be opened again');
    });
  });
});
