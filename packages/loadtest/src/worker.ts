import { parentPort, workerData } from 'node:worker_threads';
import { createAdapter } from './adapters.js';
import type { SyntheticSession } from './types.js';
import type { FromWorker, PlannedJoin, SessionStats, ToWorker, WorkerSetup } from './worker-messages.js';

/** A join that has not completed by then counts as failed (ICE or the SFU never answered). */
const JOIN_TIMEOUT_MS = 30_000;

/*
 * One load worker thread: joins the participants the main thread sends it, reports their
 * counters when asked, and closes them all on `close`.
 */
const port = parentPort!;
const setup = workerData as WorkerSetup;
const adapter = createAdapter(setup.sfu);
const sessions: Array<{ session: SyntheticSession; join: PlannedJoin }> = [];
let closing = false;

function send(message: FromWorker): void {
  port.postMessage(message);
}

async function join(planned: PlannedJoin): Promise<void> {
  const attempt = adapter.join({ ...planned, media: setup.media });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not joined within ${JOIN_TIMEOUT_MS / 1000} s`)), JOIN_TIMEOUT_MS);
  });
  try {
    const session = await Promise.race([attempt, timeout]);
    if (closing) {
      await session.close();
      throw new Error('the run ended before this participant joined');
    }
    sessions.push({ session, join: planned });
    send({ type: 'joined', name: planned.name });
  } catch (error) {
    // A join that completes after its timeout must not stay behind, sending.
    attempt.then((late) => late.close()).catch(() => undefined);
    send({ type: 'failed', name: planned.name, error: error instanceof Error ? error.message : String(error) });
  } finally {
    clearTimeout(timer);
  }
}

function stats(): SessionStats[] {
  return sessions.map(({ session, join }) => ({ name: join.name, room: join.room, publish: join.publish, streams: session.stats() }));
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'join') void join(message.join);
  else if (message.type === 'stats') send({ type: 'stats', id: message.id, sessions: stats() });
  else {
    closing = true;
    void Promise.allSettled(sessions.map(({ session }) => session.close())).then(() => send({ type: 'closed' }));
  }
});
