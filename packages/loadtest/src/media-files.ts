import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MediaFiles } from './types.js';

const run = promisify(execFile);

/** One simulcast layer of the synthetic camera. */
export interface VideoLayerSpec {
  width: number;
  height: number;
  kbps: number;
}

/** The three layers Tertulia's browser client sends (a quarter, half and full 720p), lowest first. */
export const VIDEO_LAYERS: readonly VideoLayerSpec[] = [
  { width: 320, height: 180, kbps: 150 },
  { width: 640, height: 360, kbps: 500 },
  { width: 1280, height: 720, kbps: 1500 },
];
export const VIDEO_FPS = 30;
/** A key frame every two seconds, so a subscriber joining or switching layer waits little. */
const KEYFRAME_INTERVAL_FRAMES = 60;
const LOOP_SECONDS = 6;
const OPUS_KBPS = 32;

/**
 * The looped media every publisher sends: VP8 in IVF per layer and Opus (20 ms frames) in Ogg,
 * encoded once from ffmpeg's synthetic sources and cached in the temp directory under a name
 * derived from the encoding parameters (change them and new files are made).
 */
export async function prepareMediaFiles(): Promise<MediaFiles> {
  const hash = createHash('sha256')
    .update(JSON.stringify({ VIDEO_LAYERS, VIDEO_FPS, KEYFRAME_INTERVAL_FRAMES, LOOP_SECONDS, OPUS_KBPS }))
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `tertulia-loadtest-media-${hash}`);
  mkdirSync(dir, { recursive: true });
  const videoIvf: string[] = [];
  for (const layer of VIDEO_LAYERS) {
    const path = join(dir, `vp8-${layer.height}p.ivf`);
    await cached(path, (out) => ffmpeg(videoArgs(layer, out)));
    videoIvf.push(path);
  }
  const audioOgg = join(dir, 'opus.ogg');
  await cached(audioOgg, (out) => ffmpeg(audioArgs(out)));
  return { videoIvf, audioOgg };
}

/** Makes `path` unless it exists; written under a temporary name first, so an interrupted run leaves no half file. */
async function cached(path: string, make: (out: string) => Promise<void>): Promise<void> {
  if (existsSync(path)) return;
  const partial = `${path}.${process.pid}.partial`;
  await make(partial);
  renameSync(partial, path);
}

function videoArgs({ width, height, kbps }: VideoLayerSpec, out: string): string[] {
  return [
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${VIDEO_FPS}`,
    '-t', String(LOOP_SECONDS),
    '-c:v', 'libvpx', '-b:v', `${kbps}k`, '-minrate', `${kbps}k`, '-maxrate', `${kbps}k`,
    // Real-time settings like a browser's encoder: no alt-ref frames, no look-ahead.
    '-deadline', 'realtime', '-cpu-used', '8', '-auto-alt-ref', '0', '-lag-in-frames', '0', '-error-resilient', '1',
    '-g', String(KEYFRAME_INTERVAL_FRAMES), '-keyint_min', String(KEYFRAME_INTERVAL_FRAMES),
    '-f', 'ivf', out,
  ];
}

function audioArgs(out: string): string[] {
  return [
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(LOOP_SECONDS),
    '-c:a', 'libopus', '-b:a', `${OPUS_KBPS}k`, '-frame_duration', '20', '-application', 'voip', '-ac', '1',
    '-f', 'ogg', out,
  ];
}

async function ffmpeg(args: string[]): Promise<void> {
  try {
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('ffmpeg is needed to make the load test\'s media files: install ffmpeg (apt-get install ffmpeg)');
    }
    throw new Error(`ffmpeg failed: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
  }
}
