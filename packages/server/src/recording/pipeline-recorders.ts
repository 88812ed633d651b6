import { EventEmitter } from 'node:events';
import { RecordingPipeline, type RecordingLineup } from '@tertulia/recorder';
import type { Logger } from 'pino';
import type { Recorder, RecorderEvents, RecorderFactory, RecorderLineup, RecorderOutputs } from './recorder-port.js';

/** Recorders made of @tertulia/recorder's GStreamer pipelines, one process per recording. */
export function pipelineRecorders(logger: Logger): RecorderFactory {
  return {
    async start(outputs: RecorderOutputs, lineup: RecorderLineup): Promise<Recorder> {
      const pipeline = await RecordingPipeline.start({
        outputs: { ...(outputs.file ? { file: outputs.file } : {}), ...(outputs.streamUrl ? { rtmp: outputs.streamUrl } : {}) },
        ...(outputs.perTrackAudioDir ? { perTrackAudioDir: outputs.perTrackAudioDir } : {}),
        width: outputs.width,
        height: outputs.height,
        fps: outputs.fps,
        audioOnly: outputs.audioOnly,
        logger,
      });
      const recorder = new PipelineRecorder(pipeline, logger);
      recorder.update(lineup);
      return recorder;
    },
  };
}

class PipelineRecorder extends EventEmitter<RecorderEvents> implements Recorder {
  #stopping = false;

  constructor(
    private readonly pipeline: RecordingPipeline,
    logger: Logger,
  ) {
    super();
    pipeline.on('error', (error) => logger.warn({ err: error }, 'the recording pipeline reported an error'));
    // Exiting without being asked to stop is a failure: a crash, a kill, a live stream whose server went away.
    pipeline.on('exit', (code, signal) => {
      if (!this.#stopping) this.emit('failed', new Error(`the recorder process ended unexpectedly (${signal ?? `exit code ${code}`})`));
    });
  }

  update(lineup: RecorderLineup): void {
    this.pipeline.update(lineup satisfies RecordingLineup);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.pipeline.stop();
  }

  kill(): void {
    this.#stopping = true;
    this.pipeline.close();
  }
}
