import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runLoad } from '@tertulia/loadtest';
import type { RunningServer } from '@tertulia/server';
import { decodeErrors, probeMedia } from '../support/media-probe.js';
import { startRtmpServer } from '../support/nginx.js';
import { until } from '../support/wait.js';
import { startTestServer } from '../support/server.js';
import { joinAs, type JoinedClient } from '../support/ws-client.js';

const run = promisify(execFile);

/*
 * Server recording without a browser: synthetic participants (the load tool's,
 * real ICE + DTLS-SRTP, looped VP8 and Opus) publish into a room; a moderator
 * records it over the signalling protocol; the recorder composes it from the
 * media server's RTP. What is checked is what a user gets: the file, its
 * metadata, the finalize script, the link, and the refusals.
 */
describe('recording a meeting to a file on the server', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let dir: string;
  let finalizeLog: string;
  const room = `rec-${process.pid}-1`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-recording-'));
    finalizeLog = join(dir, 'finalized.txt');
    const script = join(dir, 'finalize.sh');
    await writeFile(script, `#!/bin/sh\necho "$1" >> ${finalizeLog}\n`);
    await chmod(script, 0o755);
    server = await startTestServer({
      ENABLE_RECORDING: '1',
      ENABLE_LIVESTREAMING: '1',
      JIBRI_RECORDING_DIR: join(dir, 'recordings'),
      JIBRI_FINALIZE_RECORDING_SCRIPT_PATH: script,
      DATA_DIR: join(dir, 'data'),
      MAX_RECORDINGS: '1',
      P2P_ENABLED: '0',
    });
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records everyone into a playable MP4 in Jibri\'s layout, with metadata.json, the finalize script and a download link; refuses what is not allowed', async (t) => {
    const moderator = await joinAs(server.url, room, 'Moda');
    assert.equal(moderator.role, 'moderator');
    const guest = await joinAs(server.url, room, 'Gus');
    const refused = await guest.client.request('startRecording', { mode: 'file' });
    assert.equal(refused.error?.code, 'FORBIDDEN');

    // Three synthetic participants send audio and video for the whole test.
    const load = runLoad(
      { sfu: 'tertulia', url: server.url, rooms: 1, participantsPerRoom: 3, publishersPerRoom: 3, durationSeconds: 22, rampPerSecond: 10, layer: 'high', workers: 1, roomPrefix: `rec-${process.pid}` },
      () => undefined,
    );
    await waitUntil(async () => (await joinedCount(moderator)) >= 5, 15_000);

    const reply = await moderator.client.request('startRecording', { mode: 'file', perTrackAudio: true, extraMetadata: { course: 'Physics 101' } }, 30_000);
    assert.equal(reply.ok, true, JSON.stringify(reply.error));
    // The recording runs from its answer on (REC shows then); starting the recorder came before.
    const started = Date.now();
    const sessionId: string = reply.data.sessionId;
    const update = await moderator.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.recordings.length === 1);
    assert.equal(update.data.room.recordings[0].mode, 'file');
    assert.equal(update.data.room.recordings[0].startedBy.displayName, 'Moda');
    // Someone about to join can know it (the prejoin screen asks), and learns nothing of other rooms.
    const notice = async (name: string) => {
      const response = await fetch(`${server.url}/api/room-notice/${encodeURIComponent(name)}`);
      return [response.status, await response.json()];
    };
    assert.deepEqual(await notice(room), [200, { recordings: ['file'] }]);
    assert.deepEqual(await notice(`nobody-here-${process.pid}`), [200, { recordings: [] }]);
    assert.equal((await notice('no.dots'))[0], 400);
    // Late joiners see it in the join answer.
    const late = await joinAs(server.url, room, 'Late');
    assert.equal(late.meeting.room.recordings[0].mode, 'file');

    const again = await moderator.client.request('startRecording', { mode: 'file' });
    assert.equal(again.error?.code, 'ALREADY_RECORDING');
    const other = await joinAs(server.url, `rec-other-${process.pid}`, 'Olga');
    const capped = await other.client.request('startRecording', { mode: 'file' });
    assert.equal(capped.error?.code, 'RECORDING_LIMIT');
    assert.match(capped.error!.message, /MAX_RECORDINGS/);

    // A live stream of the same meeting shares the recording's composition: allowed
    // under MAX_RECORDINGS=1, one GStreamer process, and stopping it leaves the file going.
    const rtmp = await startRtmpServer();
    try {
      const streaming = await moderator.client.request('startRecording', { mode: 'stream', streamUrl: rtmp.url }, 30_000);
      assert.equal(streaming.ok, true, JSON.stringify(streaming.error));
      // The stream reaches nginx from the composition's next keyframe: ask until it is there.
      const live = await until(() => probeMedia(rtmp.url).catch(() => ({ streams: [] })), (probed) => probed.streams.length === 2, 'the live stream at nginx', 20_000);
      assert.deepEqual(live.streams.map((s) => [s.codec_type, s.codec_name]).sort(), [['audio', 'aac'], ['video', 'h264']]);
      const { stdout: hosts } = await run('pgrep', ['-f', 'pipeline_host.py']);
      assert.equal(hosts.trim().split('\n').length, 1, 'one composition for the file and the stream');
      assert.equal((await moderator.client.request('stopRecording', { mode: 'stream' }, 30_000)).ok, true);
      const streamEnded = await moderator.client.waitFor((m) => m.method === 'recordingEnded' && m.data.mode === 'stream', 10_000);
      assert.equal(streamEnded.data.reason, 'stopped', JSON.stringify(streamEnded.data));
    } finally {
      await rtmp.stop();
    }

    // Someone leaves and someone else joins while it runs.
    await sleep(4000);
    await late.client.request('leave');
    await guest.client.request('leave');
    const newcomer = await joinAs(server.url, room, 'Nora');
    await sleep(6000);

    const stopped = await moderator.client.request('stopRecording', { mode: 'file' }, 30_000);
    assert.equal(stopped.ok, true, JSON.stringify(stopped.error));
    const elapsed = (Date.now() - started) / 1000;
    const ended = await moderator.client.waitFor((m) => m.method === 'recordingEnded' && m.data.mode === 'file', 20_000);
    assert.equal(ended.data.reason, 'stopped', JSON.stringify(ended.data));
    assert.equal(ended.data.by, moderator.id);
    const linkMessage = await moderator.client.waitFor((m) => m.method === 'recordingLink', 10_000);
    await load;

    // <dir>/<session id>/<room>_<yyyy-MM-dd-HH-mm-ss>.mp4
    const folder = join(dir, 'recordings', sessionId);
    const files = await readdir(folder);
    const mp4 = files.find((file) => file.endsWith('.mp4'));
    assert.ok(mp4, `an MP4 in ${files.join(', ')}`);
    assert.match(mp4, new RegExp(`^${room}_\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.mp4$`));
    const probe = await probeMedia(join(folder, mp4));
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    assert.equal(video?.codec_name, 'h264');
    assert.equal(video?.width, 1280);
    assert.equal(video?.height, 720);
    assert.equal(audio?.codec_name, 'aac');
    assert.ok(Math.abs(probe.duration - elapsed) < 2, `duration ${probe.duration} s for ${elapsed.toFixed(1)} s of recording`);
    assert.equal(await decodeErrors(join(folder, mp4)), '');
    t.diagnostic(`${mp4}: ${probe.duration.toFixed(1)} s for ${elapsed.toFixed(1)} s, ${(await stat(join(folder, mp4))).size} bytes; files: ${files.join(', ')}`);

    // One audio file per participant who sent audio (the three synthetic ones).
    const perTrack = files.filter((file) => file !== mp4 && file !== 'metadata.json');
    assert.ok(perTrack.length >= 3, `per-track audio files: ${perTrack.join(', ')}`);
    for (const file of perTrack) {
      const track = await probeMedia(join(folder, file));
      assert.deepEqual(track.streams.map((s) => s.codec_type), ['audio'], file);
      assert.ok(track.duration > 5, `${file}: ${track.duration} s`);
    }

    const metadata = JSON.parse(await readFile(join(folder, 'metadata.json'), 'utf8'));
    assert.equal(metadata.meeting_url, `${server.url}/${room}`);
    assert.deepEqual(metadata.extra_metadata, { course: 'Physics 101' });
    const names = metadata.participants.map((p: { name: string }) => p.name).sort();
    for (const name of ['Moda', 'Gus', 'Late', 'Nora']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    assert.equal(names.filter((name: string) => name.startsWith(`rec-${process.pid}`)).length, 3);
    const gus = metadata.participants.find((p: { name: string }) => p.name === 'Gus');
    assert.ok(Date.parse(gus.left_at) < Date.parse(metadata.ended_at) - 5000, `Gus left well before the end: ${gus.left_at} / ${metadata.ended_at}`);
    assert.ok(metadata.participants.find((p: { name: string }) => p.name === 'Nora').joined_at > metadata.started_at);

    await waitUntil(async () => (await readFile(finalizeLog, 'utf8').catch(() => '')).trim() === folder, 10_000);

    // The link downloads the file; changed in any way, it is refused.
    const link: string = linkMessage.data.link;
    const download = await fetch(`${server.url}${link}`);
    assert.equal(download.status, 200);
    assert.equal(Number(download.headers.get('content-length')), (await stat(join(folder, mp4))).size);
    await download.arrayBuffer();
    assert.equal((await fetch(`${server.url}${link.replace(/sig=./, 'sig=A')}`)).status, 404);
    assert.equal((await fetch(`${server.url}${link.replace(/expires=\d+/, 'expires=9999999999')}`)).status, 404);
    assert.equal((await fetch(`${server.url}/recordings/${sessionId}/metadata.json`)).status, 404);

    for (const client of [moderator, newcomer, other, late, guest]) client.client.close();
  });

  it('cannot record an end-to-end encrypted meeting, nor turn encryption on while recording, and says why', async () => {
    const moderator = await joinAs(server.url, `rec-e2ee-${process.pid}`, 'Eva');
    assert.equal((await moderator.client.request('setE2ee', { enabled: true })).ok, true);
    const encrypted = await moderator.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.e2ee === true);
    assert.match(encrypted.data.room.recordingUnavailable.file, /end-to-end encrypted: the server cannot see its media/);
    assert.match(encrypted.data.room.recordingUnavailable.stream, /cannot stream it/);
    const refused = await moderator.client.request('startRecording', { mode: 'file' });
    assert.equal(refused.error?.code, 'RECORDING_UNAVAILABLE');
    assert.match(refused.error!.message, /end-to-end encrypted/);

    assert.equal((await moderator.client.request('setE2ee', { enabled: false })).ok, true);
    const started = await moderator.client.request('startRecording', { mode: 'file' }, 30_000);
    assert.equal(started.ok, true, JSON.stringify(started.error));
    const blocked = await moderator.client.request('setE2ee', { enabled: true });
    assert.equal(blocked.error?.code, 'RECORDING_IN_PROGRESS');
    assert.match(blocked.error!.message, /stop the recording and the live stream first/);
    assert.equal((await moderator.client.request('stopRecording', { mode: 'file' }, 30_000)).ok, true);
    assert.equal((await moderator.client.request('setE2ee', { enabled: true })).ok, true);
    moderator.client.close();
  });

  it('keeps what was recorded playable when the recorder process is killed, tells the room, and starts a new recorder next time', async () => {
    const moderator = await joinAs(server.url, `rec-kill-${process.pid}-1`, 'Kim');
    const load = runLoad(
      { sfu: 'tertulia', url: server.url, rooms: 1, participantsPerRoom: 2, publishersPerRoom: 2, durationSeconds: 14, rampPerSecond: 10, layer: 'high', workers: 1, roomPrefix: `rec-kill-${process.pid}` },
      () => undefined,
    );
    await sleep(1000);
    const reply = await moderator.client.request('startRecording', { mode: 'file' }, 30_000);
    assert.equal(reply.ok, true, JSON.stringify(reply.error));
    await sleep(6000);
    const recorder = await recorderPid();
    process.kill(recorder, 'SIGKILL');
    const ended = await moderator.client.waitFor((m) => m.method === 'recordingEnded', 10_000);
    assert.equal(ended.data.reason, 'failed');
    assert.match(ended.data.error, /recorder process ended \(SIGKILL\)/);
    // Its GStreamer process saw its stdin close and ended too: nothing left running.
    await waitUntil(async () => !(await run('pgrep', ['-f', 'pipeline_host.py']).then(() => true, () => false)), 10_000);
    await load;
    const folder = join(dir, 'recordings', reply.data.sessionId);
    const mp4 = (await readdir(folder)).find((file) => file.endsWith('.mp4'))!;
    const probe = await probeMedia(join(folder, mp4));
    assert.ok(probe.duration > 3, `${probe.duration} s survived the kill`);
    assert.equal(await decodeErrors(join(folder, mp4)), '');

    // The next recording gets a new recorder process.
    const again = await moderator.client.request('startRecording', { mode: 'file' }, 30_000);
    assert.equal(again.ok, true, JSON.stringify(again.error));
    assert.notEqual(await recorderPid(), recorder);
    assert.equal((await moderator.client.request('stopRecording', { mode: 'file' }, 30_000)).ok, true);
    moderator.client.close();
  });
});

/** The `tertulia recorder` process this server started. */
async function recorderPid(): Promise<number> {
  const { stdout } = await run('pgrep', ['-P', String(process.pid), '-f', 'tertulia-recorder']);
  const pids = stdout.trim().split('\n').map(Number);
  assert.equal(pids.length, 1, `one recorder process: ${stdout}`);
  return pids[0]!;
}

async function joinedCount(member: JoinedClient): Promise<number> {
  const joined = new Set<string>();
  for (const message of member.client.messages) {
    if (message.method === 'participantJoined') joined.add(message.data.participant.id);
    if (message.method === 'participantLeft') joined.delete(message.data.participantId);
  }
  return joined.size + 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(200);
  }
}
