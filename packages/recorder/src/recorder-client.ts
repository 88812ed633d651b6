import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { RECORDER_MAIN } from './recorder-main.js';
import {
  recorderEvent,
  type RecorderEvent,
  type RecorderLineup,
  type RecorderOutput,
  type RecorderRequest,
  type RecorderSettings,
} from './recorder-protocol.js';

/** How long the recorder gets to answer a command (stopping waits for the muxers to finish). */
const ANSWER_TIMEOUT_MS = 30_000;
const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export type RemoteRecordingEvents = {
  /** The recording ended by itself (its process or the recorder crashed, its only output failed); what was written stays. */
  failed: [error: Error];
  /** One output stopped (a live stream's server went away) while the others go on. */
  outputFailed: [kind: RecorderOutput['kind'], error: Error];
  /** A participant's video needs a keyframe: ask its sender. */
  keyframeWanted: [participantId: string, source: 'camera' | 'screen' | 'mic'];
};

/**
 * The server's side of `tertulia recorder`: starts the recorder process when the
 * first recording begins, runs every recording in it, and lets it go when the
 * last one ends. If the process dies, each of its recordings is told (`failed`)
 * and the next recording starts a new process.
 */
export class RecorderClient {
  #process: RecorderProcess | undefined;

  constructor(private readonly logger: Logger) {}

  async start(settings: RecorderSettings, outputs: RecorderOutput[], lineup: RecorderLineup): Promise<RemoteRecording> {
    if (!this.#process || this.#process.exited) {
      const process = new RecorderProcess(this.logger);
      process.once('idle', () => {
        if (this.#process === process) this.#process = undefined;
        process.close();
      });
      this.#process = process;
    }
    return this.#process.startRecording(settings, outputs, lineup);
  }
}

type ProcessEvents = { event: [RecorderEvent]; exit: [reason: string]; idle: [] };

/** One recorder process and the recordings it runs. */
class RecorderProcess extends EventEmitter<ProcessEvents> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  readonly #recordings = new Map<string, RemoteRecording>();
  #seq = 0;
  exited = false;

  constructor(private readonly logger: Logger) {
    super();
    // From the sources (tests run them through tsx) the entry point is TypeScript.
    const args = RECORDER_MAIN.endsWith('.ts') ? ['--import', 'tsx', RECORDER_MAIN] : [RECORDER_MAIN];
    this.#child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: logger.level } });
    this.#child.stdin!.on('error', () => undefined);
    createInterface({ input: this.#child.stdout! }).on('line', (line) => this.#receive(line));
    createInterface({ input: this.#child.stderr! }).on('line', (line) => this.#relayLog(line));
    this.#child.on('error', (error) => this.#exited(`could not start (${error.message})`));
    this.#child.on('exit', (code, signal) => this.#exited(signal ?? `exit code ${code}`));
    logger.info({ pid: this.#child.pid }, 'recorder process started');
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async startRecording(settings: RecorderSettings, outputs: RecorderOutput[], lineup: RecorderLineup): Promise<RemoteRecording> {
    const id = randomBytes(6).toString('hex');
    const recording = new RemoteRecording(id, this, this.logger);
    this.#recordings.set(id, recording);
    try {
      await this.request({ type: 'start', id, settings, outputs, lineup });
    } catch (error) {
      this.forget(id);
      throw error;
    }
    return recording;
  }

  request(command: RecorderRequest): Promise<void> {
    if (this.exited) return Promise.reject(new Error('The recorder process has ended.'));
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(seq);
        reject(new Error(`The recorder did not answer "${command.type}" within ${ANSWER_TIMEOUT_MS / 1000} s.`));
      }, ANSWER_TIMEOUT_MS);
      this.#pending.set(seq, { resolve, reject, timer });
      this.#child.stdin!.write(`${JSON.stringify({ ...command, seq })}\n`);
    });
  }

  /** A recording is over: when it was the last, the process is no longer needed. */
  forget(id: string): void {
    if (this.#recordings.delete(id) && this.#recordings.size === 0) this.emit('idle');
  }

  /** Lets the process go: it ends once its stdin closes. */
  close(): void {
    this.#child.stdin!.end();
  }

  #receive(line: string): void {
    let event: RecorderEvent;
    try {
      event = recorderEvent.parse(JSON.parse(line));
    } catch (error) {
      this.logger.warn({ line, err: error }, 'the recorder process sent something this server does not understand: is it another version?');
      return;
    }
    if (event.type === 'done' || event.type === 'failed') {
      const pending = this.#pending.get(event.seq);
      if (!pending) return;
      this.#pending.delete(event.seq);
      clearTimeout(pending.timer);
      if (event.type === 'done') pending.resolve();
      else pending.reject(new Error(event.message));
      return;
    }
    const recording = this.#recordings.get(event.id);
    if (event.type === 'outputFailed') recording?.emit('outputFailed', event.kind, new Error(event.message));
    else if (event.type === 'keyframeWanted') recording?.emit('keyframeWanted', event.participantId, event.source);
    else {
      this.forget(event.id);
      recording?.emit('failed', new Error(event.message));
    }
  }

  /** The recorder logs pino JSON on stderr: each line goes to this server's log at its own level. */
  #relayLog(line: string): void {
    try {
      const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
      this.logger[PINO_LEVELS[level] ?? 'info']({ recorder: fields }, msg ?? '');
    } catch {
      this.logger.warn({ stderr: line }, 'recorder process says');
    }
  }

  #exited(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    const error = new Error(`the recorder process ended (${reason})`);
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.#pending.clear();
    const orphans = [...this.#recordings.values()];
    this.#recordings.clear();
    if (orphans.length > 0) this.logger.error({ reason, recordings: orphans.length }, 'the recorder process ended while recording');
    for (const recording of orphans) recording.emit('failed', error);
  }
}

/** A recording running in a recorder process. */
export class RemoteRecording extends EventEmitter<RemoteRecordingEvents> {
  #over = false;

  constructor(
    readonly id: string,
    private readonly process: RecorderProcess,
    private readonly logger: Logger,
  ) {
    super();
    this.once('failed', () => (this.#over = true));
  }

  /** Who is shown and heard now; applied in order, failures only logged (the next update corrects them). */
  update(lineup: RecorderLineup): void {
    if (this.#over) return;
    this.process.request({ type: 'update', id: this.id, lineup }).catch((err: unknown) => this.logger.warn({ err, recording: this.id }, 'the recorder could not apply a change'));
  }

  addOutput(output: RecorderOutput): Promise<void> {
    return this.process.request({ type: 'addOutput', id: this.id, output });
  }

  /** Finishes one output while the others go on. */
  removeOutput(kind: RecorderOutput['kind']): Promise<void> {
    return this.process.request({ type: 'removeOutput', id: this.id, kind });
  }

  /** Finishes every output; resolves once they are written. */
  async stop(): Promise<void> {
    if (this.#over) return;
    this.#over = true;
    try {
      await this.process.request({ type: 'stop', id: this.id });
    } finally {
      this.process.forget(this.id);
    }
  }

  /** Ends at once; what was written stays playable. Idempotent. */
  kill(): void {
    if (this.#over) return;
    this.#over = true;
    this.process.request({ type: 'kill', id: this.id }).catch(() => undefined);
    this.process.forget(this.id);
  }
}
