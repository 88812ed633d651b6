import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, PlannedJoin, SessionStats, ToWorker, WorkerSetup } from './worker-messages.js';

/** How long a worker may take to close its participants before it is terminated. */
const CLOSE_TIMEOUT_MS = 10_000;

/** worker.js next to this module when built, worker.ts when run from source (tsx). */
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * The thread for the worker module. A worker does not inherit tsx's loader, so run from source
 * (tests, benches under `node --import tsx`) the thread registers tsx before importing worker.ts.
 */
function startThread(setup: WorkerSetup): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: setup });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** The main thread's handle on one load worker thread. */
export class LoadWorker {
  readonly #worker: Worker;
  readonly #joins = new Map<string, (error: string | undefined) => void>();
  readonly #stats = new Map<number, (sessions: SessionStats[]) => void>();
  #nextId = 1;
  #onClosed: (() => void) | undefined;
  /** Why the thread died, once it has. */
  #died: string | undefined;

  constructor(setup: WorkerSetup) {
    this.#worker = startThread(setup);
    this.#worker.on('message', (message: FromWorker) => this.#receive(message));
    this.#worker.on('error', (error) => this.#die(error.message));
    this.#worker.on('exit', (code) => this.#die(`the load worker exited (code ${code})`));
  }

  /** Resolves with undefined once joined, or with why it failed. */
  join(join: PlannedJoin): Promise<string | undefined> {
    if (this.#died) return Promise.resolve(this.#died);
    return new Promise((resolve) => {
      this.#joins.set(join.name, resolve);
      this.#post({ type: 'join', join });
    });
  }

  stats(): Promise<SessionStats[]> {
    if (this.#died) return Promise.resolve([]);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#stats.set(id, resolve);
      this.#post({ type: 'stats', id });
    });
  }

  /** Closes every participant of this worker, then ends the thread. */
  async close(): Promise<void> {
    if (!this.#died) {
      const closed = new Promise<void>((resolve) => (this.#onClosed = resolve));
      this.#post({ type: 'close' });
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
    }
    await this.#worker.terminate();
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  #receive(message: FromWorker): void {
    if (message.type === 'joined' || message.type === 'failed') {
      this.#joins.get(message.name)?.(message.type === 'failed' ? message.error : undefined);
      this.#joins.delete(message.name);
    } else if (message.type === 'stats') {
      this.#stats.get(message.id)?.(message.sessions);
      this.#stats.delete(message.id);
    } else {
      this.#onClosed?.();
    }
  }

  /** The thread is gone: whatever waits on it gets an answer now. */
  #die(reason: string): void {
    this.#died ??= reason;
    for (const resolve of this.#joins.values()) resolve(this.#died);
    this.#joins.clear();
    for (const resolve of this.#stats.values()) resolve([]);
    this.#stats.clear();
    this.#onClosed?.();
  }
}
