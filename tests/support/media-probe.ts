import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedStream {
  codec_type: 'video' | 'audio';
  codec_name: string;
  width?: number;
  height?: number;
}

/** What ffprobe reads from a file or URL: its streams and duration (seconds). */
export async function probeMedia(target: string): Promise<{ streams: ProbedStream[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', target], { timeout: 30_000 });
  const parsed = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration?: string } };
  return { streams: parsed.streams, duration: Number(parsed.format.duration ?? 0) };
}

/** Decodes every frame with ffmpeg; returns what it complained about (empty: it all decodes). */
export async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return stderr.trim();
}
