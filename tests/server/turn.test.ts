import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type RunningServer } from '@tertulia/server';
import { startCoturn, tryAllocation, type Coturn } from '../support/coturn.js';
import { startTestServer } from '../support/server.js';
import { freePort } from '../support/slapd.js';
import { RawClient } from '../support/ws-client.js';
import { refusal } from '../support/config.js';

const SECRET = 'static-auth-secret-for-tests-0123';


/** Joins `room` as a raw client and returns the join answer's meeting. */
async function join(client: RawClient, room: string) {
  const reply = await client.request('join', { room, displayName: 'Ana' });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  return reply.data.meeting as { self: { id: string }; iceServers: any[]; p2pIceServers: any[] };
}

describe('TURN and STUN configuration', () => {
  it('uses docker-jitsi-meet\'s names and defaults', () => {
    const config = loadConfig({ TURN_HOST: 'turn.example.org', TURN_CREDENTIALS: SECRET });
    assert.deepEqual(config.TURN_HOST, ['turn.example.org']);
    assert.equal(config.TURN_PORT, 443);
    assert.deepEqual(config.TURN_TRANSPORT, ['tcp']);
    assert.equal(config.TURNS_PORT, 443);
    assert.equal(config.TURN_TTL, 86400);
    assert.deepEqual(config.P2P_STUN_SERVERS, []);
    assert.deepEqual(loadConfig({ TURN_TRANSPORT: 'udp,tcp' }).TURN_TRANSPORT, ['udp', 'tcp']);
    assert.deepEqual(loadConfig({ P2P_STUN_SERVERS: 'stun.example.org:3478, stun:[2001:db8::1]:3478' }).P2P_STUN_SERVERS, [
      'stun.example.org:3478',
      'stun:[2001:db8::1]:3478',
    ]);
  });

  it('refuses settings that cannot work, saying what to set', () => {
    assert.match(refusal({ TURN_HOST: 'turn.example.org' }), /TURN_CREDENTIALS: TURN_HOST is set, so TURN_CREDENTIALS is required/);
    assert.match(refusal({ TURNS_HOST: 'turn.example.org' }), /TURN_CREDENTIALS: TURNS_HOST is set/);
    assert.match(refusal({ TURN_CREDENTIALS: SECRET }), /TURN_HOST: TURN_CREDENTIALS is set but no TURN server is/);
    assert.match(refusal({ TURN_HOST: 'turn.example.org', TURN_CREDENTIALS: 'short' }), /TURN_CREDENTIALS: must be at least 16 characters/);
    assert.match(
      refusal({ TURN_HOST: 'turn.example.org', TURN_USERNAME: 'jitsi', TURN_PASSWORD: 'fixed' }),
      /TURN_USERNAME: a fixed TURN account .* use-auth-secret/,
    );
    assert.match(refusal({ TURN_TRANSPORT: 'tls' }), /TURN_TRANSPORT.*must be udp or tcp/);
    assert.match(refusal({ TURN_HOST: 'turn example', TURN_CREDENTIALS: SECRET }), /TURN_HOST.*host name or an IP address/);
    assert.match(refusal({ P2P_STUN_SERVERS: 'http://stun.example.org' }), /P2P_STUN_SERVERS.*host:port/);
    assert.match(refusal({ TURN_HOST: 't.example.org', TURN_CREDENTIALS: SECRET, TURN_TTL: '5' }), /TURN_TTL/);
  });
});

describe('TURN credentials in the join answer', () => {
  let server: RunningServer;

  before(async () => {
    server = await startTestServer({
      TURN_HOST: 'turn.example.org,2001:db8::7',
      TURN_PORT: '3478',
      TURN_TRANSPORT: 'udp,tcp',
      TURNS_HOST: 'turn.example.org',
      TURNS_PORT: '5349',
      TURN_CREDENTIALS: SECRET,
      TURN_TTL: '600',
      P2P_STUN_SERVERS: 'stun.example.org:3478',
      STUN_HOST: 'stun2.example.org',
    });
  });
  after(() => server.close());

  it('hands each participant `<expiry>:<id>` with base64(HMAC-SHA1(secret, username)), and never the secret', async () => {
    const client = await RawClient.connect(server.url);
    try {
      const before = Math.floor(Date.now() / 1000);
      const meeting = await join(client, 'Turn1');
      assert.equal(meeting.iceServers.length, 1);
      const [turn] = meeting.iceServers;
      assert.deepEqual(turn.urls, [
        'turn:turn.example.org:3478?transport=udp',
        'turn:turn.example.org:3478?transport=tcp',
        'turn:[2001:db8::7]:3478?transport=udp',
        'turn:[2001:db8::7]:3478?transport=tcp',
        'turns:turn.example.org:5349?transport=tcp',
      ]);
      const [expiry, id] = String(turn.username).split(':');
      assert.equal(id, meeting.self.id);
      assert.ok(Number(expiry) >= before + 600 && Number(expiry) <= before + 602, `expiry ${expiry} is about now + TURN_TTL`);
      assert.equal(turn.credential, createHmac('sha1', SECRET).update(turn.username).digest('base64'));

      // The P2P list: STUN first (P2P_STUN_SERVERS, then STUN_HOST:STUN_PORT), then the same TURN entry.
      assert.deepEqual(meeting.p2pIceServers[0], { urls: ['stun:stun.example.org:3478', 'stun:stun2.example.org:443'] });
      assert.deepEqual(meeting.p2pIceServers[1], turn);
      assert.ok(!JSON.stringify(client.messages).includes(SECRET), 'the secret never reaches a browser');
    } finally {
      client.close();
    }
  });

  it('gives no TURN entry when none is configured', async () => {
    const plain = await startTestServer();
    const client = await RawClient.connect(plain.url);
    try {
      const meeting = await join(client, 'NoTurn');
      assert.deepEqual(meeting.iceServers, []);
      assert.deepEqual(meeting.p2pIceServers, []);
    } finally {
      client.close();
      await plain.close();
    }
  });
});

describe('a real coturn and the credentials Tertulia issues', () => {
  let coturn: Coturn;
  let server: RunningServer;

  before(async () => {
    coturn = await startCoturn({ secret: SECRET, tlsPort: await freePort() });
    server = await startTestServer({ ...turnSettings(coturn), TURN_TTL: '10' });
  });
  after(async () => {
    await server.close();
    await coturn.stop();
  });

  it('accepts fresh ones over UDP, TCP and TLS', async () => {
    const daylong = await startTestServer(turnSettings(coturn));
    const client = await RawClient.connect(daylong.url);
    try {
      const { iceServers } = await join(client, 'TurnFresh');
      const { username, credential, urls } = iceServers[0];
      assert.ok(urls.includes(`turns:127.0.0.1:${coturn.tlsPort}?transport=tcp`));
      assert.ok((await tryAllocation(coturn, username, credential, 'udp')).ok, 'UDP allocation with fresh credentials');
      assert.ok((await tryAllocation(coturn, username, credential, 'tcp')).ok, 'TCP allocation with fresh credentials');
      assert.ok((await tryAllocation(coturn, username, credential, 'tls')).ok, 'TLS (turns:) allocation with fresh credentials');
    } finally {
      client.close();
      await daylong.close();
    }
  });

  it('renews them before expiry until the participant leaves, and coturn refuses them once expired', async () => {
    const client = await RawClient.connect(server.url);
    try {
      const meeting = await join(client, 'TurnReal');
      const { username, credential } = meeting.iceServers[0];

      // TURN_TTL=10: new credentials come after 5 s, with a later expiry, for the same participant.
      const renewed = await client.waitFor((m) => m.method === 'iceServersUpdated', 8000);
      const fresh = renewed.data.iceServers[0];
      const [oldExpiry] = String(username).split(':');
      const [newExpiry, id] = String(fresh.username).split(':');
      assert.equal(id, meeting.self.id);
      assert.ok(Number(newExpiry) >= Number(oldExpiry) + 4, `renewed expiry ${newExpiry} is later than ${oldExpiry}`);
      assert.equal(renewed.data.p2pIceServers.at(-1).username, fresh.username);

      // Past the first credentials' expiry: coturn refuses them, and takes the renewed ones.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(oldExpiry) * 1000 - Date.now()) + 1500));
      const expired = await tryAllocation(coturn, username, credential, 'udp');
      assert.equal(expired.ok, false, 'expired credentials are refused');
      assert.match(coturn.log(), new RegExp(`user <${username}>: .*error 401`));
      const latest = client.messages.filter((m) => m.method === 'iceServersUpdated').at(-1)!.data.iceServers[0];
      assert.ok((await tryAllocation(coturn, latest.username, latest.credential, 'udp')).ok, 'renewed credentials work');

      // After leaving, no more renewals.
      assert.equal((await client.request('leave')).ok, true);
      const count = client.messages.filter((m) => m.method === 'iceServersUpdated').length;
      await new Promise((resolve) => setTimeout(resolve, 5500));
      assert.equal(client.messages.filter((m) => m.method === 'iceServersUpdated').length, count, 'the renewal timer stopped on leave');
    } finally {
      client.close();
    }
  });

  it('refuses credentials signed with another secret', async () => {
    const other = await startTestServer({ TURN_HOST: '127.0.0.1', TURN_PORT: String(coturn.port), TURN_CREDENTIALS: 'another-secret-entirely-0000' });
    const client = await RawClient.connect(other.url);
    try {
      const { iceServers } = await join(client, 'WrongSecret');
      const { username, credential } = iceServers[0];
      for (const transport of ['udp', 'tcp', 'tls'] as const) {
        const result = await tryAllocation(coturn, username, credential, transport);
        assert.equal(result.ok, false, `${transport}: ${result.output}`);
      }
      assert.match(coturn.log(), new RegExp(`user <${username}>: .*error 401`));
    } finally {
      client.close();
      await other.close();
    }
  });
});

describe('connectivity self-test requests', () => {
  let server: RunningServer;

  before(async () => {
    server = await startTestServer({ TURN_HOST: '127.0.0.1', TURN_PORT: '3478', TURN_CREDENTIALS: SECRET, MEDIA_WORKERS: '2' });
  });
  after(() => server.close());

  it('offers UDP-only and TCP-only probes on every media port, a relay probe and fresh credentials, without joining', async () => {
    const client = await RawClient.connect(server.url);
    try {
      const reply = await client.request('selfTest');
      assert.equal(reply.ok, true, JSON.stringify(reply.error));
      const { probes, iceServers } = reply.data;
      const udp = probes.filter((p: any) => p.check === 'udp');
      const tcp = probes.filter((p: any) => p.check === 'tcp');
      assert.equal(udp.length, 2, 'one UDP probe per media worker');
      assert.equal(tcp.length, 2, 'one TCP probe per media worker');
      assert.equal(probes.filter((p: any) => p.check === 'relay').length, 1);
      for (const probe of udp) assert.deepEqual([...new Set(probe.iceCandidates.map((c: any) => c.protocol))], ['udp']);
      for (const probe of tcp) assert.deepEqual([...new Set(probe.iceCandidates.map((c: any) => c.protocol))], ['tcp']);
      assert.equal(new Set(udp.map((p: any) => p.port)).size, 2, 'the two workers\' ports');
      assert.match(iceServers[0].username, /^\d+:selftest-[0-9a-f]{8}$/);
      assert.equal(server.registry.rooms().length, 0, 'no room was opened');
    } finally {
      client.close();
    }
  });

  it('lets only the connection that asked connect a probe', async () => {
    const [a, b] = [await RawClient.connect(server.url, '127.0.0.2'), await RawClient.connect(server.url, '127.0.0.2')];
    try {
      const { probes } = (await a.request('selfTest')).data;
      const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
      const stolen = await b.request('selfTestConnect', { probeId: probes[0].id, dtlsParameters });
      assert.equal(stolen.error?.code, 'NOT_FOUND');
    } finally {
      a.close();
      b.close();
    }
  });

  it('is rate-limited per address', async () => {
    const client = await RawClient.connect(server.url, '127.0.0.3');
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await client.request('selfTest')).error?.code ?? 'ok');
      assert.deepEqual(codes, ['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
      const other = await RawClient.connect(server.url, '127.0.0.4');
      assert.equal((await other.request('selfTest')).ok, true, 'another address is not affected');
      other.close();
    } finally {
      client.close();
    }
  });
});

/** A Tertulia configured for `coturn`: TURN over UDP and TCP, and TURNS. */
function turnSettings(coturn: Coturn): Record<string, string> {
  return {
    TURN_HOST: '127.0.0.1',
    TURN_PORT: String(coturn.port),
    TURN_TRANSPORT: 'udp,tcp',
    TURNS_HOST: '127.0.0.1',
    TURNS_PORT: String(coturn.tlsPort),
    TURN_CREDENTIALS: SECRET,
  };
}
