import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { recorderCommand, type RecorderEvent } from './recorder-protocol.js';
import { RecordingHost } from './recording-host.js';

/** This file, for whoever starts a recorder process (`node <RECORDER_MAIN>`). */
export const RECORDER_MAIN = fileURLToPath(import.meta.url);

/**
 * `tertulia recorder`: runs recordings for a server that speaks to it on stdin
 * and stdout (JSON lines, see recorder-protocol.ts); logs go to stderr. When
 * stdin closes (the server went away), every recording ends at once, the files
 * stay playable up to their last fragment, and this resolves with the exit code.
 */
export function runRecorder(): Promise<number> {
  // What `ps` shows: the server starts this file with node, not through the CLI.
  process.title = 'tertulia-recorder';
  const logger = pino({ name: 'tertulia-recorder', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const send = (event: RecorderEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const host = new RecordingHost(send, logger);
  const closed = new Promise<number>((resolve) => {
    createInterface({ input: process.stdin })
    .on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        logger.warn({ line }, 'ignored a line that is not JSON');
        return;
      }
      const command = recorderCommand.safeParse(parsed);
      if (!command.success) {
        const seq = (parsed as { seq?: unknown } | null)?.seq;
        const message = `not a recorder command: ${command.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`;
        if (typeof seq === 'number') send({ type: 'failed', seq, message });
        logger.warn({ line }, message);
        return;
      }
      void host.handle(command.data);
    })
    .on('close', () => {
      if (host.size > 0) logger.warn({ recordings: host.size }, 'the server went away: ending every recording (files stay playable)');
      host.killAll();
      resolve(0);
    });
  });
  logger.info('recorder ready');
  return closed;
}

if (process.argv[1] === RECORDER_MAIN) void runRecorder().then((code) => process.exit(code));
