import type { Logger } from 'pino';
import type { RecorderCommand, RecorderEvent, RecorderOutput } from './recorder-protocol.js';
import { RecordingPipeline, type OutputTarget } from './recording-pipeline.js';

/**
 * The recordings one recorder process runs, each its own GStreamer pipeline (a
 * child process: one pipeline failing leaves the others running). Commands come
 * in, answers and events go out, through whatever carries them (stdio today).
 */
export class RecordingHost {
  readonly #recordings = new Map<string, RecordingPipeline>();
  /** Recordings being started: a command for one waits for its start. */
  readonly #starting = new Map<string, Promise<unknown>>();

  constructor(
    private readonly send: (event: RecorderEvent) => void,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.#recordings.size;
  }

  async handle(command: RecorderCommand): Promise<void> {
    try {
      await this.#run(command);
      this.send({ type: 'done', seq: command.seq });
    } catch (error) {
      this.send({ type: 'failed', seq: command.seq, message: (error as Error).message });
    }
  }

  /** Ends every recording at once (the server went away): files stay playable up to their last fragment. */
  killAll(): void {
    for (const pipeline of this.#recordings.values()) pipeline.close();
    this.#recordings.clear();
  }

  async #run(command: RecorderCommand): Promise<void> {
    if (command.type === 'start') return this.#start(command);
    await this.#starting.get(command.id)?.catch(() => undefined);
    const pipeline = this.#recordings.get(command.id);
    if (!pipeline) {
      if (command.type === 'kill' || command.type === 'stop') return;
      throw new Error(`No recording ${command.id} runs in this recorder.`);
    }
    switch (command.type) {
      case 'update':
        return pipeline.update(command.lineup);
      case 'addOutput':
        return pipeline.addOutput(command.output.kind, target(command.output));
      case 'removeOutput':
        return pipeline.removeOutput(command.kind);
      case 'stop':
        this.#recordings.delete(command.id);
        return pipeline.stop();
      case 'kill':
        this.#recordings.delete(command.id);
        return pipeline.close();
    }
  }

  async #start(command: Extract<RecorderCommand, { type: 'start' }>): Promise<void> {
    const { id } = command;
    if (this.#recordings.has(id) || this.#starting.has(id)) throw new Error(`Recording ${id} runs already.`);
    const starting = RecordingPipeline.start({
      ...command.settings,
      outputs: Object.fromEntries(command.outputs.map((output) => [output.kind, target(output)])),
      logger: this.logger.child({ recording: id }),
    });
    this.#starting.set(id, starting);
    try {
      const pipeline = await starting;
      this.#recordings.set(id, pipeline);
      pipeline.update(command.lineup);
      pipeline.on('outputFailed', (kind, error) => this.send({ type: 'outputFailed', id, kind, message: error.message }));
      pipeline.on('keyframeWanted', (participantId, source) => this.send({ type: 'keyframeWanted', id, participantId, source }));
      pipeline.on('error', (error) => this.logger.warn({ err: error, recording: id }, 'the recording pipeline reported an error'));
      // Ending without being asked to (stop and kill forget it first): a crash, or the only output failed.
      pipeline.on('exit', (code, signal) => {
        if (this.#recordings.get(id) !== pipeline) return;
        this.#recordings.delete(id);
        this.send({ type: 'ended', id, message: `the recording's GStreamer process ended unexpectedly (${signal ?? `exit code ${code}`})` });
      });
    } finally {
      this.#starting.delete(id);
    }
  }
}

function target(output: RecorderOutput): OutputTarget {
  if (output.kind === 'stream') return { location: output.url };
  return { location: output.path, ...(output.perTrackAudioDir ? { perTrackAudioDir: output.perTrackAudioDir } : {}) };
}
