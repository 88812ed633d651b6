import { runRecorder } from '@tertulia/recorder';

export const RECORDER_USAGE = `tertulia recorder
  Composes recordings and live streams (GStreamer). The server starts one by
  itself when the first recording begins and speaks to it on stdin/stdout
  (JSON lines); it runs every recording of the machine and ends when the server
  closes its stdin.`;

export function recorder(): Promise<number> {
  return runRecorder();
}
