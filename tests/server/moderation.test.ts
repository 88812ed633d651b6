import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, OPUS, RawClient } from '../support/ws-client.js';

/** Each client's send transport: a participant has at most one each way. */
const sendTransports = new WeakMap<RawClient, Promise<string>>();

async function sendMic(client: RawClient, paused: boolean) {
  if (!sendTransports.has(client)) sendTransports.set(client, client.request('createTransport', { direction: 'send' }).then((t) => t.data.id as string));
  const transportId = await sendTransports.get(client)!;
  return client.request('produce', { transportId, kind: 'audio', source: 'mic', rtpParameters: OPUS, paused });
}

describe('moderation over the protocol', () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  const track = <T extends { client: RawClient }>(x: T) => (clients.push(x.client), x);

  before(async () => (server = await startTestServer()));
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('refuses every moderation request from a non-moderator, and nothing changes', async () => {
    const ana = track(await joinAs(server.url, 'Guarded', 'Ana'));
    const bea = track(await joinAs(server.url, 'Guarded', 'Bea'));
    assert.equal(ana.role, 'moderator', 'the first participant moderates');
    assert.equal(bea.role, 'participant');
    await sendMic(ana.client, false);
    const room = server.registry.get('guarded')!;
    const before = JSON.stringify({ ...room.info(), serverTime: 0 });

    const attempts: Array<[string, object]> = [
      ['muteParticipant', { participantId: ana.id, kind: 'audio' }],
      ['muteAll', { kind: 'audio' }],
      ['askToUnmute', { participantId: ana.id }],
      ['setAvModeration', { kind: 'audio', enabled: true }],
      ['approveMedia', { participantId: bea.id, kind: 'audio', approved: true }],
      ['kick', { participantId: ana.id }],
      ['grantModerator', { participantId: bea.id }],
      ['endConference', {}],
      ['setPassword', { password: 'hijacked' }],
      ['setLobby', { enabled: true }],
      ['answerKnock', { knockerId: 'abcd', approved: true }],
      ['setSubject', { subject: 'pwned' }],
      ['setChatMuted', { participantId: ana.id, muted: true }],
    ];
    for (const [method, data] of attempts) {
      const reply = await bea.client.request(method, data);
      assert.equal(reply.error?.code, 'FORBIDDEN', `${method} is refused`);
    }
    assert.equal(JSON.stringify({ ...room.info(), serverTime: 0 }), before, 'room settings unchanged');
    assert.equal(room.size, 2, 'nobody was removed');
    assert.equal(room.participant(bea.id)!.role, 'participant', 'no self-promotion');
    assert.equal(room.describe(room.participant(ana.id)!).audioMuted, false, 'Ana was not muted');
    assert.equal(room.participant(ana.id)!.chatMuted, false, 'Ana can still chat');
    assert.equal(bea.client.messages.filter((m) => m.method === 'roomUpdated').length, 0);
  });

  it('lets a moderator mute, grant moderator and kick', async () => {
    const room = server.registry.get('guarded')!;
    const [ana, bea] = room.participants();
    const anaClient = clients[0]!;
    const beaClient = clients[1]!;
    await sendMic(beaClient, false);
    assert.equal((await anaClient.request('muteParticipant', { participantId: bea!.id, kind: 'audio' })).ok, true);
    const muted = await beaClient.waitFor((m) => m.method === 'muted');
    assert.deepEqual(muted.data, { kind: 'audio', by: ana!.id });
    assert.equal(room.describe(bea!).audioMuted, true);

    assert.equal((await anaClient.request('grantModerator', { participantId: bea!.id })).ok, true);
    assert.equal(bea!.role, 'moderator');
    const closed = new Promise<number>((resolve) => anaClient.socket.once('close', resolve));
    assert.equal((await beaClient.request('kick', { participantId: ana!.id })).ok, true);
    assert.equal((await anaClient.waitFor((m) => m.method === 'removed')).data.reason, 'kicked');
    assert.ok((await closed) >= 4000, 'the kicked connection is closed by the server');
    const left = await beaClient.waitFor((m) => m.method === 'participantLeft' && m.data.participantId === ana!.id);
    assert.deepEqual(left.data, { participantId: ana!.id, reason: 'kicked', by: bea!.id }, 'the others learn it was a kick, and by whom');
    assert.equal(room.size, 1);
  });

  it('guards a room with a password: required, wrong (rate-limited), then right; no media before', async () => {
    const host = track(await joinAs(server.url, 'Locked', 'Host'));
    assert.equal((await host.client.request('setPassword', { password: 's3cret' })).ok, true);
    const update = await host.client.waitFor((m) => m.method === 'roomUpdated');
    assert.equal(update.data.room.locked, true);
    assert.ok(!JSON.stringify(update.data).includes('s3cret'), 'the password itself is never sent');

    const guest = await RawClient.connect(server.url);
    clients.push(guest);
    assert.equal((await guest.request('join', { room: 'Locked', displayName: 'Guest' })).error?.code, 'PASSWORD_REQUIRED');
    assert.equal((await guest.request('createTransport', { direction: 'recv' })).error?.code, 'NOT_JOINED', 'no media without the password');
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await guest.request('join', { room: 'Locked', displayName: 'Guest', password: `guess${i}` })).error!.code);
    assert.deepEqual(codes.slice(0, 5), Array(5).fill('PASSWORD_INCORRECT'));
    assert.ok(codes.slice(5).every((c) => c === 'RATE_LIMITED'), `attempts after five are rate-limited (${codes})`);
    assert.equal(server.registry.get('locked')!.size, 1, 'nobody got in');

    const blocked = await guest.request('join', { room: 'Locked', displayName: 'Guest', password: 's3cret' });
    assert.equal(blocked.error?.code, 'RATE_LIMITED', 'once the allowance is gone, even the right password waits');
    const friend = track(await joinAs(server.url, 'Locked', 'Friend', { password: 's3cret' }, '127.0.0.2'));
    assert.equal(friend.role, 'participant', 'another address is not affected');
  });

  it('holds knockers in the lobby without media until a moderator answers', async () => {
    const host = track(await joinAs(server.url, 'Lobbied', 'Host'));
    assert.equal((await host.client.request('setLobby', { enabled: true })).ok, true);

    const carl = await RawClient.connect(server.url);
    const dan = await RawClient.connect(server.url);
    clients.push(carl, dan);
    assert.deepEqual((await carl.request('join', { room: 'Lobbied', displayName: 'Carl' })).data, { status: 'waiting', reason: 'lobby' });
    assert.equal((await carl.request('createTransport', { direction: 'recv' })).error?.code, 'NOT_JOINED', 'no media from the lobby');
    assert.equal((await carl.request('sendChat', { text: 'let me in' })).error?.code, 'NOT_JOINED', 'no chat from the lobby');
    assert.equal((await carl.request('join', { room: 'Lobbied', displayName: 'Carl' })).error?.code, 'ALREADY_JOINED');
    const knock = await host.client.waitFor((m) => m.method === 'lobbyUpdated' && m.data.knocking.length === 1);
    const carlKnock = knock.data.knocking[0];
    assert.equal(carlKnock.displayName, 'Carl');
    assert.equal(server.registry.get('lobbied')!.size, 1, 'a knocker is not a participant');
    assert.equal(host.client.messages.filter((m) => m.method === 'participantJoined').length, 0);

    await dan.request('join', { room: 'Lobbied', displayName: 'Dan' });
    const both = await host.client.waitFor((m) => m.method === 'lobbyUpdated' && m.data.knocking.length === 2);
    const danKnock = both.data.knocking.find((k: { displayName: string }) => k.displayName === 'Dan');

    assert.equal((await host.client.request('answerKnock', { knockerId: carlKnock.id, approved: true })).ok, true);
    const admitted = await carl.waitFor((m) => m.method === 'admitted');
    assert.equal(admitted.data.meeting.self.displayName, 'Carl');
    assert.equal((await carl.request('createTransport', { direction: 'recv' })).ok, true, 'media once admitted');

    assert.equal((await host.client.request('answerKnock', { knockerId: danKnock.id, approved: false })).ok, true);
    await dan.waitFor((m) => m.method === 'lobbyDenied');
    assert.equal((await dan.request('createTransport', { direction: 'recv' })).error?.code, 'NOT_JOINED');
    assert.equal(server.registry.get('lobbied')!.size, 2);
  });

  it('under audio moderation refuses to unmute until approved', async () => {
    const host = track(await joinAs(server.url, 'Quiet', 'Host'));
    const bea = track(await joinAs(server.url, 'Quiet', 'Bea'));
    assert.equal((await host.client.request('setAvModeration', { kind: 'audio', enabled: true })).ok, true);
    assert.equal((await sendMic(bea.client, false)).error?.code, 'FORBIDDEN', 'cannot start unmuted');
    const paused = await sendMic(bea.client, true);
    assert.equal(paused.ok, true, 'may send a muted microphone');
    const unmute = { producerId: paused.data.producerId, paused: false };
    assert.equal((await bea.client.request('setProducerPaused', unmute)).error?.code, 'FORBIDDEN');
    const beaAsSeenByHost = (audio: boolean) => (m: { method?: string; data?: any }) =>
      m.method === 'participantUpdated' && m.data.participant.id === bea.id && m.data.participant.forceMuted?.audio === audio;
    await host.client.waitFor(beaAsSeenByHost(true));
    await host.client.request('approveMedia', { participantId: bea.id, kind: 'audio', approved: true });
    await bea.client.waitFor((m) => m.method === 'mediaApproval');
    await host.client.waitFor(beaAsSeenByHost(false));
    assert.equal((await bea.client.request('setProducerPaused', unmute)).ok, true, 'approved: may unmute');
  });

  it('ends the meeting for everyone', async () => {
    const host = track(await joinAs(server.url, 'Ending', 'Host'));
    const bea = track(await joinAs(server.url, 'Ending', 'Bea'));
    assert.equal((await host.client.request('endConference')).ok, true);
    assert.equal((await bea.client.waitFor((m) => m.method === 'removed')).data.reason, 'ended');
    assert.equal(server.registry.get('ending'), undefined, 'the room is gone');
  });
});
