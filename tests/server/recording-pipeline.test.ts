import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pino from 'pino';
import { layoutTiles, RecorderClient, RecordingPipeline, type RecorderParticipant, type RecordingParticipant, type RecordingStats } from '../../packages/recorder/src/index.js';
import { startRtmpServer } from '../support/nginx.js';
import { TestCa } from '../support/test-certificates.js';
import { H264_PAYLOAD, OPUS_PAYLOAD, VP8_PAYLOAD, startRtpSender, type RtpSender } from '../support/rtp-sender.js';
import { until } from '../support/wait.js';

const run = promisify(execFile);
const logger = pino({ level: 'warn' });
const canvas = { width: 1280, height: 720 };

const RED = 0xe02020;
const GREEN = 0x20c020;
const BLUE = 0x2040e0;

function participant(id: string, sender: RtpSender): RecordingParticipant {
  return {
    id,
    name: `Person ${id}`,
    camera: { port: sender.videoPorts[0]!, mimeType: 'video/VP8', payloadType: VP8_PAYLOAD },
    mic: { port: sender.audioPorts[0]!, mimeType: 'audio/opus', payloadType: OPUS_PAYLOAD },
  };
}

interface Probe {
  format: { duration: string };
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
}

async function probe(target: string, extra: string[] = []): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...extra, '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height', '-of', 'json', target], { timeout: 20_000 });
  return JSON.parse(stdout) as Probe;
}

/** What ffprobe reads of a live stream (RTMP), waiting up to 10 s for its data. */
function probeLive(url: string): Promise<Probe> {
  return probe(url, ['-rw_timeout', '10000000']);
}

/** Asserts that `file` lasts `wallSeconds` (± 1 s) and decodes without a complaint; returns its duration. */
async function assertPlaysFor(file: string, wallSeconds: number): Promise<number> {
  const duration = Number((await probe(file)).format.duration);
  assert.ok(Math.abs(duration - wallSeconds) < 1, `lasts ${duration} s for ${wallSeconds.toFixed(2)} s of recording`);
  assert.equal(await decodeErrors(file), '');
  return duration;
}

/** ffmpeg's complaints while decoding every frame (empty when the file is sound). */
async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
  return stderr.trim();
}

type Rgb = [number, number, number];

/** The average colour of a 16×16 square around (x, y) in the frame shown at `seconds`. */
async function colourAt(file: string, seconds: number, points: Array<[number, number]>): Promise<Rgb[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(stdout.length, canvas.width * canvas.height * 3, `a whole ${canvas.width}×${canvas.height} frame at ${seconds} s`);
  return points.map(([x, y]) => {
    const sum: Rgb = [0, 0, 0];
    for (let dy = -8; dy < 8; dy++) {
      for (let dx = -8; dx < 8; dx++) {
        const offset = ((y + dy) * canvas.width + (x + dx)) * 3;
        for (let channel = 0; channel < 3; channel++) sum[channel as 0 | 1 | 2] += stdout[offset + channel]!;
      }
    }
    return sum.map((value) => Math.round(value / 256)) as Rgb;
  });
}

/** Centres of the tiles the layout gives these people, in their order. */
function tileCentres(ids: string[]): Array<[number, number]> {
  const tiles = layoutTiles(ids.map((id) => ({ id, name: id, hasVideo: true, screenShare: false, dominant: false })), canvas);
  return ids.map((id) => {
    const tile = tiles.find((candidate) => candidate.participantId === id)!;
    return [tile.x + tile.width / 2, tile.y + tile.height / 2];
  });
}

/** Which of red, green and blue a colour clearly is (null when it is none of them, e.g. black). */
function hue([r, g, b]: Rgb): string | null {
  if (r > 150 && g < 90 && b < 90) return 'red';
  if (g > 130 && r < 90 && b < 90) return 'green';
  if (b > 150 && r < 90 && g < 120) return 'blue';
  return null;
}

async function meanVolumeDb(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  assert.ok(match, 'volumedetect measured the audio');
  return Number(match[1]);
}


describe('the recorder composes RTP into a recording with GStreamer', () => {
  let dir: string;
  const senders: RtpSender[] = [];
  let red: RtpSender;
  let green: RtpSender;
  let blue: RtpSender;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-recorder-'));
    [red, green, blue] = await Promise.all([startRtpSender(RED, 440), startRtpSender(GREEN, 660), startRtpSender(BLUE, 880)]);
    senders.push(red, green, blue);
  });

  after(async () => {
    await Promise.all(senders.map((sender) => sender.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('records a composite MP4 of people joining and leaving, with each one\'s audio in a file of its own', async () => {
    const file = join(dir, 'meeting.mp4');
    const tracks = join(dir, 'tracks');
    await mkdir(tracks);
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file, perTrackAudioDir: tracks } }, logger });
    const started = performance.now();
    const errors: Error[] = [];
    pipeline.on('error', (error) => errors.push(error));
    const flowing = new Set<string>();
    pipeline.on('streamStarted', (id, kind) => flowing.add(`${id}/${kind}`));

    pipeline.addParticipant(participant('a', red));
    pipeline.addParticipant(participant('b', green));
    await sleep(4000);
    pipeline.addParticipant(participant('c', blue));
    await sleep(3000);
    pipeline.removeParticipant('a');
    await sleep(3000);
    const wallSeconds = (performance.now() - started) / 1000;
    await pipeline.stop();

    assert.deepEqual(errors, []);
    assert.deepEqual([...flowing].sort(), ['a/camera', 'a/mic', 'b/camera', 'b/mic', 'c/camera', 'c/mic']);
    const info = await probe(file);
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    assert.deepEqual(video && [video.codec_name, video.width, video.height], ['h264', 1280, 720]);
    assert.equal(info.streams.find((stream) => stream.codec_type === 'audio')?.codec_name, 'aac');
    await assertPlaysFor(file, wallSeconds);
    assert.ok((await meanVolumeDb(file)) > -40, 'the tones are in the mix');

    // Each person's colour in their own tile, as the layout placed them at that moment.
    assert.deepEqual((await colourAt(file, 3, tileCentres(['a', 'b']))).map(hue), ['red', 'green']);
    assert.deepEqual((await colourAt(file, 6.2, tileCentres(['a', 'b', 'c']))).map(hue), ['red', 'green', 'blue']);
    assert.deepEqual((await colourAt(file, 9.2, tileCentres(['b', 'c']))).map(hue), ['green', 'blue']);

    assert.deepEqual((await readdir(tracks)).sort(), ['a.ogg', 'b.ogg', 'c.ogg']);
    for (const [track, atLeast] of [['a.ogg', 5], ['b.ogg', 8], ['c.ogg', 4]] as const) {
      const trackInfo = await probe(join(tracks, track));
      assert.equal(trackInfo.streams[0]?.codec_name, 'opus', track);
      assert.ok(Number(trackInfo.format.duration) > atLeast, `${track} lasts ${trackInfo.format.duration} s`);
    }
  });

  it('shows someone without a camera as a dark card and puts a shared screen on stage (camera in H.264)', async () => {
    const file = join(dir, 'screen.mp4');
    const h264 = await startRtpSender(RED, 440, { codec: 'H264' });
    senders.push(h264);
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file } }, logger });
    const tilesShown = new Set<string>();
    pipeline.on('streamStarted', (id, kind) => tilesShown.add(`${id}/${kind}`));
    const { mic, camera: screen } = participant('c', blue);
    pipeline.addParticipant({ id: 'a', name: 'Person a', camera: { port: h264.videoPorts[0]!, mimeType: 'video/H264', payloadType: H264_PAYLOAD } });
    pipeline.addParticipant({ id: 'b', name: 'Person b', mic: participant('b', green).mic! });
    pipeline.addParticipant({ id: 'c', name: 'Person c', screen, mic });
    // Every stream flowing (a's camera; cards for b's and c's; b's and c's mics; c's screen), then two more seconds.
    await until(() => tilesShown.size, (size) => size === 6, 'all six streams flowing');
    await sleep(2000);
    await pipeline.stop();

    const people = ['a', 'b', 'c'].map((id) => ({ id, name: id, hasVideo: id === 'a', screenShare: id === 'c', dominant: false }));
    const tiles = layoutTiles(people, canvas);
    // A quarter in from the top left: clear of the name, which is written in the middle of a card.
    const spot = (id: string, kind: string): [number, number] => {
      const tile = tiles.find((candidate) => candidate.participantId === id && candidate.kind === kind)!;
      return [Math.round(tile.x + tile.width / 4), Math.round(tile.y + tile.height / 4)];
    };
    const duration = Number((await probe(file)).format.duration);
    const [stage, camera, card, noCamera] = await colourAt(file, duration - 1, [spot('c', 'screen'), spot('a', 'camera'), spot('b', 'camera'), spot('c', 'camera')]);
    assert.equal(hue(stage!), 'blue', 'the shared screen on stage');
    assert.equal(hue(camera!), 'red', "a's camera in the filmstrip");
    for (const [name, colour] of [['b', card!], ['c', noCamera!]] as const) {
      assert.ok(colour.every((channel) => channel > 20 && channel < 70), `${name}'s tile is a dark card, not black or video: ${colour}`);
    }
  });

  it('records audio only to an M4A file', async () => {
    const file = join(dir, 'audio.m4a');
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file } }, audioOnly: true, logger });
    pipeline.addParticipant(participant('a', red));
    await sleep(2500);
    await pipeline.stop();
    const info = await probe(file);
    assert.deepEqual(info.streams.map((stream) => [stream.codec_type, stream.codec_name]), [['audio', 'aac']]);
    assert.ok(Number(info.format.duration) > 2, `lasts ${info.format.duration} s`);
    assert.ok((await meanVolumeDb(file)) > -40, 'the tone is in it');
  });

  it('leaves a playable file when the recorder process is killed', async () => {
    const file = join(dir, 'killed.mp4');
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file } }, logger });
    pipeline.addParticipant(participant('a', red));
    pipeline.addParticipant(participant('b', green));
    await sleep(4000);
    // How far the encoder had got when it was killed (the box may be busy and the encoder behind).
    const [stats] = await once(pipeline, 'stats');
    const encodedSeconds = (stats as RecordingStats).counters.venc!.lastRunningTimeMs! / 1000;
    const exited = once(pipeline, 'exit');
    process.kill(pipeline.pid!, 'SIGKILL');
    assert.deepEqual(await exited, [null, 'SIGKILL']);

    const duration = Number((await probe(file)).format.duration);
    assert.ok(duration >= encodedSeconds - 1.5, `playable for ${duration} s of the ${encodedSeconds} s encoded before the kill`);
    // The fragment being written at the kill is cut short; ffmpeg says so and decodes everything before it.
    const errors = (await decodeErrors(file)).split('\n').filter((line) => line && !line.includes('partial file'));
    assert.deepEqual(errors, []);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
    assert.ok(Number(stdout.trim()) >= (encodedSeconds - 1.5) * 30, `${stdout.trim()} frames decode`);
  });

  it('refuses to start without GStreamer\'s Python, saying what to install', async () => {
    await assert.rejects(RecordingPipeline.start({ outputs: { file: { location: join(dir, 'never.mp4') } }, logger, python: '/nonexistent/python3' }), /install Debian's python3 and python3-gi/);
  });

  it('streams live to an RTMP server (nginx) that ffprobe reads video and audio from', async () => {
    const server = await startRtmpServer();
    const pipeline = await RecordingPipeline.start({ outputs: { stream: { location: server.url } }, logger });
    try {
      pipeline.addParticipant(participant('a', red));
      await sleep(1500);
      const info = await probeLive(server.url);
      const video = info.streams.find((stream) => stream.codec_type === 'video');
      assert.deepEqual(video && [video.codec_name, video.width, video.height], ['h264', 1280, 720]);
      assert.equal(info.streams.find((stream) => stream.codec_type === 'audio')?.codec_name, 'aac');
      await pipeline.stop();
    } finally {
      pipeline.close();
      await server.stop();
    }
  });

  it('ends with exit code 1 when its only output, a live stream, loses its server', async () => {
    const server = await startRtmpServer();
    const pipeline = await RecordingPipeline.start({ outputs: { stream: { location: server.url } }, logger });
    const errors: Error[] = [];
    pipeline.on('error', (error) => errors.push(error));
    pipeline.addParticipant(participant('a', red));
    await sleep(1500);
    // Not events.once: it would reject on the 'error' event that comes first.
    const exited = new Promise((resolve) => pipeline.on('exit', (...codes) => resolve(codes)));
    await server.stop();
    assert.deepEqual(await exited, [1, null]);
    assert.match(errors[0]?.message ?? '', /GStreamer \(stream\)/);
  });

  it('keeps recording the file when the live stream\'s server goes away', async () => {
    const server = await startRtmpServer();
    const file = join(dir, 'streamed.mp4');
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file }, stream: { location: server.url } }, logger });
    const started = performance.now();
    const errors: Error[] = [];
    pipeline.on('error', (error) => errors.push(error));
    pipeline.addParticipant(participant('a', red));
    await sleep(2000);
    const outputFailed = once(pipeline, 'outputFailed');
    await server.stop();
    const [kind, failure] = (await outputFailed) as [string, Error];
    assert.equal(kind, 'stream');
    assert.match(failure.message, /live stream stopped/);
    assert.deepEqual([...pipeline.outputs], ['file']);
    await sleep(2000);
    const wallSeconds = (performance.now() - started) / 1000;
    await pipeline.stop();

    assert.deepEqual(errors, []);
    const duration = await assertPlaysFor(file, wallSeconds);
    assert.deepEqual((await colourAt(file, duration - 0.5, tileCentres(['a']))).map(hue), ['red'], 'the picture still moves after the stream failed');
  });

  it('adds a live stream to a running recording and takes it away again, sharing one composition', async () => {
    const server = await startRtmpServer();
    const file = join(dir, 'shared.mp4');
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: file } }, logger });
    const started = performance.now();
    const errors: Error[] = [];
    pipeline.on('error', (error) => errors.push(error));
    try {
      pipeline.addParticipant(participant('a', red));
      await sleep(2000);
      await pipeline.addOutput('stream', { location: server.url });
      const live = await probeLive(server.url);
      assert.deepEqual(live.streams.map((stream) => stream.codec_name).sort(), ['aac', 'h264']);
      await pipeline.removeOutput('stream');
      assert.deepEqual([...pipeline.outputs], ['file']);
      await sleep(1500);
      const wallSeconds = (performance.now() - started) / 1000;
      await pipeline.stop();

      assert.deepEqual(errors, []);
      await assertPlaysFor(file, wallSeconds);
    } finally {
      pipeline.close();
      await server.stop();
    }
  });

  it('adds a file to a running live stream: the file starts then, and is complete when taken away', async () => {
    const server = await startRtmpServer();
    const file = join(dir, 'late-file.mp4');
    const pipeline = await RecordingPipeline.start({ outputs: { stream: { location: server.url } }, logger });
    try {
      pipeline.addParticipant(participant('a', red));
      pipeline.addParticipant(participant('b', green));
      await sleep(2500);
      const added = performance.now();
      await pipeline.addOutput('file', { location: file });
      await sleep(3000);
      await pipeline.removeOutput('file');
      const wallSeconds = (performance.now() - added) / 1000;
      await assertPlaysFor(file, wallSeconds);
      assert.deepEqual((await colourAt(file, 0.2, tileCentres(['a', 'b']))).map(hue), ['red', 'green'], 'from its first frame');
      // The stream went on meanwhile.
      const live = await probeLive(server.url);
      assert.ok(live.streams.some((stream) => stream.codec_name === 'h264'));
      await pipeline.stop();
    } finally {
      pipeline.close();
      await server.stop();
    }
  });

  it('runs several recordings in one recorder process, which ends once they are over', async () => {
    const client = new RecorderClient(logger);
    const settings = { width: 640, height: 360, fps: 30, audioOnly: false };
    const person = (id: string, sender: RtpSender): RecorderParticipant => {
      const { camera, mic } = participant(id, sender);
      return { id, name: id, camera: { ...camera!, id: `${id}-camera`, clockRate: 90000 }, mic: { ...mic!, id: `${id}-mic`, clockRate: 48000, channels: 2 } };
    };
    // The second one's sender loses packets: its keyframe requests come back through the recorder process.
    const lossy = await startRtpSender(GREEN, 660, { videoLoss: 0.05 });
    senders.push(lossy);
    const files = [join(dir, 'first.mp4'), join(dir, 'second.mp4')];
    const recordings = await Promise.all(
      files.map((path, index) => client.start(settings, [{ kind: 'file', path }], { participants: [person(`p${index}`, index === 0 ? red : lossy)], dominantSpeakerId: null })),
    );
    const keyframeWanted = once(recordings[1]!, 'keyframeWanted');
    const recorders = (await run('pgrep', ['-P', String(process.pid), '-f', 'tertulia-recorder'])).stdout.trim().split('\n');
    assert.equal(recorders.length, 1, 'one recorder process');
    const pipelines = (await run('pgrep', ['-P', recorders[0]!, '-f', 'pipeline_host.py'])).stdout.trim().split('\n');
    assert.equal(pipelines.length, 2, 'running two compositions');

    await assert.rejects(recordings[0]!.addOutput({ kind: 'stream', url: 'http://example.invalid/' }), /rtmp:\/\/ or rtmps:\/\//);
    await assert.rejects(recordings[0]!.addOutput({ kind: 'file', path: join(dir, 'again.mp4') }), /already has a file output/);
    await sleep(2500);
    assert.deepEqual(await keyframeWanted, ['p1', 'camera']);
    await Promise.all(recordings.map((recording) => recording.stop()));
    for (const file of files) {
      assert.ok(Number((await probe(file)).format.duration) > 1.5, file);
      assert.equal(await decodeErrors(file), '');
    }
    await until(
      () => run('pgrep', ['-P', String(process.pid), '-f', 'tertulia-recorder']).then(() => true, () => false),
      (running) => !running,
      'the idle recorder process to end',
    );
  });

  it('streams over RTMPS, checking the server\'s certificate against the machine\'s trusted CAs', async () => {
    const rtmp = await startRtmpServer();
    const ca = await TestCa.create(await mkdtemp(join(dir, 'ca-')));
    const { certFile, keyFile } = await ca.issue('rtmps', ['localhost']);
    // RTMPS is RTMP inside TLS: a TLS endpoint in front of nginx-rtmp, as streaming services have.
    const terminator = createTlsServer({ cert: await readFile(certFile), key: await readFile(keyFile) }, (socket) => {
      const upstream = connect(rtmp.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    terminator.listen(0, '127.0.0.1');
    await once(terminator, 'listening');
    const url = `rtmps://localhost:${(terminator.address() as { port: number }).port}/live/meeting-key`;
    // GStreamer trusts what the system trusts: this Python sees the test CA as the system's bundle (a private mount namespace).
    const trusting = join(dir, 'python-trusting-test-ca');
    await writeFile(trusting, `#!/bin/sh\nexec unshare -m sh -c 'mount --bind "$0" /etc/ssl/certs/ca-certificates.crt && exec /usr/bin/python3 "$@"' '${ca.caFile}' "$@"\n`);
    await chmod(trusting, 0o755);
    try {
      const pipeline = await RecordingPipeline.start({ outputs: { stream: { location: url } }, logger, python: trusting });
      pipeline.addParticipant(participant('a', red));
      await sleep(1500);
      const info = await probeLive(rtmp.url);
      assert.deepEqual(info.streams.map((stream) => stream.codec_name).sort(), ['aac', 'h264']);
      await pipeline.stop();

      // Without the CA the certificate is refused and the stream, its only output, ends.
      const untrusting = await RecordingPipeline.start({ outputs: { stream: { location: url } }, logger });
      const errors: Error[] = [];
      untrusting.on('error', (error) => errors.push(error));
      const exited = new Promise((resolve) => untrusting.on('exit', (...codes) => resolve(codes)));
      assert.deepEqual(await exited, [1, null]);
      assert.match(errors.map((error) => error.message).join('\n'), /certificate|TLS/i);
    } finally {
      terminator.close();
      await rtmp.stop();
    }
  });

  it('says when a decoder needs a keyframe (packets lost), at most once a second, so that the sender can be asked for one', async () => {
    const lossy = await startRtpSender(RED, 440, { videoLoss: 0.05 });
    senders.push(lossy);
    const pipeline = await RecordingPipeline.start({ outputs: { file: { location: join(dir, 'keyframes.mp4') } }, logger });
    try {
      const wanted: Array<[string, string, number]> = [];
      pipeline.on('keyframeWanted', (id, kind) => wanted.push([id, kind, performance.now()]));
      pipeline.addParticipant(participant('a', lossy));
      await sleep(4000);
      assert.ok(wanted.length >= 2, `${wanted.length} requests in 4 s of 5 % loss`);
      assert.ok(wanted.length <= 5, `${wanted.length} requests in 4 s: at most one a second`);
      assert.deepEqual(new Set(wanted.map(([id, kind]) => `${id}/${kind}`)), new Set(['a/camera']));
      await pipeline.stop();
    } finally {
      pipeline.close();
    }
  });
});
