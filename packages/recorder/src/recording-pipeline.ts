import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { layoutTiles, type Tile } from './layout.js';
import { AAC_ENCODERS, ELEMENT, audioInput, mainPipeline, outputPipeline, placeholderInput, videoInput, type OutputKind, type RtpStream } from './pipeline-description.js';
import { PipelineHost, hostErrorMessage, type ElementProperties, type HostStats } from './pipeline-host.js';

export interface RecordingParticipant {
  id: string;
  name: string;
  camera?: RtpStream;
  screen?: RtpStream;
  mic?: RtpStream;
}

export interface RecordingLineup {
  participants: RecordingParticipant[];
  /** Shown large in meetings of more than two when nobody shares a screen; null for a plain grid. */
  dominantSpeakerId: string | null;
}

/** Where an output goes. */
export interface OutputTarget {
  /** file: an MP4 path (use .m4a with audioOnly), fragmented so that a crash leaves it playable. stream: an rtmp:// or rtmps:// URL, stream key included. */
  location: string;
  /** With the file: each participant's audio as it arrived (Opus in Ogg), one file per participant and join, in this folder. */
  perTrackAudioDir?: string;
}

export interface RecordingOptions {
  /** Outputs to start with; more can be added and removed while it runs. */
  outputs: Partial<Record<OutputKind, OutputTarget>>;
  width?: number;
  height?: number;
  fps?: number;
  videoBitrateKbps?: number;
  audioOnly?: boolean;
  /** How long RTP is held to reorder it; inputs added later must fit in the mixers' latency, which follows it. */
  jitterLatencyMs?: number;
  logger: Logger;
  /** The Python with GStreamer's bindings (Debian's by default). */
  python?: string;
}

type RecordingEvents = {
  /**
   * Something in the pipeline failed. An input's failure (a bad stream) leaves the
   * recording going; any other (an encoder, the only output) ends it: 'exit' with code 1 follows.
   */
  error: [Error];
  /** The host process ended; `stop()` was asked for when code is 0. */
  exit: [code: number | null, signal: NodeJS.Signals | null];
  /** An output failed (a live stream's server went away) while another goes on; it is gone. */
  outputFailed: [kind: OutputKind, error: Error];
  /** A participant's stream delivered its first data (video needs a keyframe to start). */
  streamStarted: [participantId: string, kind: InputKind];
  /** A participant's video needs a keyframe (its decoder lost its place): ask the sender for one. */
  keyframeWanted: [participantId: string, kind: InputKind];
  stats: [HostStats];
};

type InputKind = 'camera' | 'screen' | 'mic';

/** One branch of the running pipeline, as last sent to the host. */
interface Input {
  participantId: string;
  kind: InputKind;
  description: string;
  label?: string;
  pad: Record<string, number>;
}

/** GstVideoAggregatorPad sizing-policy: scale to fit the tile, keeping the aspect ratio (bars, not distortion). */
const KEEP_ASPECT_RATIO = 1;
const START_TIMEOUT_MS = 10_000;
/** How long an output removed from a running recording gets to finish (its muxer writes the last fragment). */
const OUTPUT_END_TIMEOUT_MS = 10_000;

/**
 * One meeting's composition: a GStreamer pipeline in its own process that mixes
 * the participants' RTP into one picture and one sound, encoded once for every
 * output (a file, a live stream, or both, added and removed as it runs). The
 * lineup can change at any time; each change is turned into the smallest set of
 * edits (add, remove, move, rename) of the running pipeline.
 */
export class RecordingPipeline extends EventEmitter<RecordingEvents> {
  readonly #inputs = new Map<string, Input>();
  readonly #joins = new Map<string, number>();
  readonly #outputs = new Set<OutputKind>();
  #perTrackAudioDir: string | undefined;
  #lineup: RecordingLineup = { participants: [], dominantSpeakerId: null };
  #stopping: Promise<void> | null = null;

  private constructor(
    private readonly host: PipelineHost,
    private readonly settings: Required<Omit<RecordingOptions, 'python' | 'outputs'>>,
  ) {
    super();
    host.on('event', (event) => {
      if (event.event === 'error') this.emit('error', new Error(hostErrorMessage(event)));
      else if (event.event === 'stats') this.emit('stats', event);
      else if (event.event === 'output-failed') {
        const kind = event.id as OutputKind;
        this.#forgetOutput(kind);
        this.emit('outputFailed', kind, new Error(`${kind === 'stream' ? 'The live stream' : 'The file'} stopped: ${event.message}`));
      } else if (event.event === 'input-flowing' || event.event === 'keyframe-wanted') {
        const input = this.#inputs.get(event.id);
        if (input) this.emit(event.event === 'input-flowing' ? 'streamStarted' : 'keyframeWanted', input.participantId, input.kind);
      }
    });
    host.on('exit', (code, signal) => {
      settings.logger.info({ code, signal }, 'recording pipeline ended');
      this.emit('exit', code, signal);
    });
  }

  /** Starts the pipeline; resolves once it plays. Rejects saying what is missing or wrong. */
  static async start(options: RecordingOptions): Promise<RecordingPipeline> {
    const settings = {
      width: 1280,
      height: 720,
      fps: 30,
      videoBitrateKbps: 2500,
      audioOnly: false,
      jitterLatencyMs: 200,
      ...options,
    };
    if (!options.outputs.file && !options.outputs.stream) throw new Error('A recording needs an output: a file, an RTMP URL or both.');
    const host = new PipelineHost(settings.logger, options.python);
    let pipeline: RecordingPipeline;
    try {
      host.send({ cmd: 'probe', factories: [...AAC_ENCODERS] });
      const aacEncoder = await host.next((event) => (event.event === 'probed' ? event.present[0] ?? null : undefined), 'which AAC encoder exists', START_TIMEOUT_MS);
      if (!aacEncoder) throw new Error('GStreamer has no AAC encoder: install gstreamer1.0-libav (apt-get install gstreamer1.0-libav).');
      host.send({
        cmd: 'create',
        description: mainPipeline({
          ...settings,
          aacEncoder,
          // Decoders and the queue after them add to the jitter buffer's delay.
          inputLatencyMs: settings.jitterLatencyMs + 100,
        }),
        count: settings.audioOnly ? [ELEMENT.audioEncoder] : [ELEMENT.videoEncoder, ELEMENT.audioEncoder],
        statsInterval: 1000,
      });
      await host.next((event) => (event.event === 'ready' ? true : undefined), 'that the pipeline plays', START_TIMEOUT_MS);
      pipeline = new RecordingPipeline(host, settings);
      for (const [kind, target] of Object.entries(options.outputs) as Array<[OutputKind, OutputTarget]>) await pipeline.addOutput(kind, target);
    } catch (error) {
      host.kill();
      if (/no element/.test((error as Error).message)) {
        throw new Error(`${(error as Error).message}. The recorder's GStreamer plugins are missing: install the Debian packages listed in scripts/setup/recorder-packages.mjs.`);
      }
      throw error;
    }
    settings.logger.info({ pid: host.pid, outputs: options.outputs, audioOnly: settings.audioOnly }, 'recording pipeline playing');
    return pipeline;
  }

  get outputs(): ReadonlySet<OutputKind> {
    return this.#outputs;
  }

  /** Starts writing to one more output (from the next keyframe); resolves once it is in the pipeline. */
  async addOutput(kind: OutputKind, target: OutputTarget): Promise<void> {
    if (this.#outputs.has(kind)) throw new Error(`This recording already has a ${kind} output.`);
    this.#outputs.add(kind);
    if (kind === 'file' && target.perTrackAudioDir) {
      this.#perTrackAudioDir = target.perTrackAudioDir;
      this.update(this.#lineup);
    }
    const { description, feeds } = outputPipeline(kind, this.settings.audioOnly);
    this.host.send({ cmd: 'add-output', id: kind, description, feeds, properties: { [kind]: { location: target.location } } });
    await this.host.next((event) => (event.event === 'output-added' && event.id === kind ? true : undefined), `that the ${kind} output was added`, START_TIMEOUT_MS);
  }

  /** Finishes one output (the file is complete) while the others go on; resolves once it is written. */
  async removeOutput(kind: OutputKind): Promise<void> {
    if (!this.#outputs.has(kind)) return;
    if (this.#outputs.size === 1) throw new Error('This is the recording\'s last output: stop the recording instead.');
    this.host.send({ cmd: 'remove-output', id: kind });
    await this.host.next((event) => (event.event === 'output-removed' && event.id === kind ? true : undefined), `that the ${kind} output was finished`, OUTPUT_END_TIMEOUT_MS);
    this.#forgetOutput(kind);
  }

  #forgetOutput(kind: OutputKind): void {
    if (!this.#outputs.delete(kind) || kind !== 'file' || !this.#perTrackAudioDir) return;
    this.#perTrackAudioDir = undefined;
    this.update(this.#lineup);
  }

  /** The host process's id (for CPU accounting). */
  get pid(): number | undefined {
    return this.host.pid;
  }

  get lineup(): RecordingLineup {
    return this.#lineup;
  }

  addParticipant(participant: RecordingParticipant): void {
    this.update({ ...this.#lineup, participants: [...this.#lineup.participants.filter((p) => p.id !== participant.id), participant] });
  }

  /** Replaces what is known of a participant (name, streams), keeping their place. */
  updateParticipant(participant: RecordingParticipant): void {
    this.update({ ...this.#lineup, participants: this.#lineup.participants.map((p) => (p.id === participant.id ? participant : p)) });
  }

  removeParticipant(id: string): void {
    this.update({
      participants: this.#lineup.participants.filter((p) => p.id !== id),
      dominantSpeakerId: this.#lineup.dominantSpeakerId === id ? null : this.#lineup.dominantSpeakerId,
    });
  }

  setDominantSpeaker(id: string | null): void {
    this.update({ ...this.#lineup, dominantSpeakerId: id });
  }

  /** Shows and mixes exactly this lineup: streams added and removed, tiles moved and renamed. */
  update(lineup: RecordingLineup): void {
    if (this.#stopping || this.host.exited) return;
    this.#lineup = lineup;
    const wanted = this.#wantedInputs(lineup);
    for (const [id, current] of this.#inputs) {
      const next = wanted.get(id);
      if (!next || next.description !== current.description) {
        this.host.send({ cmd: 'remove-input', id });
        this.#inputs.delete(id);
      }
    }
    for (const [id, next] of wanted) {
      const current = this.#inputs.get(id);
      if (!current) this.#add(id, next);
      else {
        if (!samePad(current.pad, next.pad)) this.host.send({ cmd: 'set-pad', id, pad: next.pad });
        if (current.label !== next.label && next.label !== undefined) {
          this.host.send({ cmd: 'set-property', id, element: ELEMENT.label, properties: { text: next.label } });
        }
        this.#inputs.set(id, next);
      }
    }
  }

  /**
   * Ends the streams and lets the muxers finish the files; resolves once the
   * host has exited. After `timeoutMs` it is killed (the file stays playable up
   * to its last fragment) and this rejects.
   */
  stop(timeoutMs = 15_000): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.host.exited) throw new Error('The recording had already ended (see its exit event): its file is playable up to the last fragment written.');
      const exited = new Promise<void>((resolve) => (this.host.exited ? resolve() : this.host.once('exit', () => resolve())));
      this.host.send({ cmd: 'eos' });
      try {
        await this.host.next((event) => (event.event === 'eos-done' ? true : undefined), 'that the outputs are finished', timeoutMs);
      } catch (error) {
        this.host.kill();
        throw error;
      }
      await exited;
    })();
    return this.#stopping;
  }

  /** Ends at once without finishing the outputs. Idempotent. */
  close(): void {
    this.host.kill();
  }

  #add(id: string, input: Input): void {
    const properties: ElementProperties = {};
    if (input.label !== undefined) properties[ELEMENT.label] = { text: input.label };
    if (input.kind === 'mic' && this.#perTrackAudioDir) {
      properties[ELEMENT.trackSink] = { location: this.#trackFile(input.participantId) };
    }
    const target = input.kind === 'mic' ? ELEMENT.audioMixer : ELEMENT.videoMixer;
    this.host.send({ cmd: 'add-input', id, description: input.description, target, pad: input.pad, properties });
    this.#inputs.set(id, input);
  }

  /** `<id>.ogg`, then `<id>-2.ogg` and so on when they come back: a file per stretch of presence. */
  #trackFile(participantId: string): string {
    const stretch = (this.#joins.get(participantId) ?? 0) + 1;
    this.#joins.set(participantId, stretch);
    const safe = participantId.replace(/[^A-Za-z0-9_-]/g, '_');
    return join(this.#perTrackAudioDir!, `${safe}${stretch > 1 ? `-${stretch}` : ''}.ogg`);
  }

  #wantedInputs(lineup: RecordingLineup): Map<string, Input> {
    const wanted = new Map<string, Input>();
    const latency = this.settings.jitterLatencyMs;
    for (const person of lineup.participants) {
      if (person.mic) {
        wanted.set(`${person.id}/mic`, {
          participantId: person.id,
          kind: 'mic',
          description: audioInput(person.mic, latency, Boolean(this.#perTrackAudioDir)),
          pad: { volume: 1 },
        });
      }
    }
    if (this.settings.audioOnly) return wanted;
    const tiles = layoutTiles(
      lineup.participants.map((person) => ({
        id: person.id,
        name: person.name,
        hasVideo: Boolean(person.camera),
        screenShare: Boolean(person.screen),
        dominant: person.id === lineup.dominantSpeakerId,
      })),
      this.settings,
    );
    const byId = new Map(lineup.participants.map((person) => [person.id, person]));
    for (const tile of tiles) {
      const stream = byId.get(tile.participantId)?.[tile.kind];
      wanted.set(`${tile.participantId}/${tile.kind}`, {
        participantId: tile.participantId,
        kind: tile.kind,
        description: stream ? videoInput(stream, latency) : placeholderInput(this.settings.fps),
        label: tile.label,
        pad: padFor(tile),
      });
    }
    return wanted;
  }
}

function padFor(tile: Tile): Record<string, number> {
  return { xpos: tile.x, ypos: tile.y, width: tile.width, height: tile.height, zorder: 1, 'sizing-policy': KEEP_ASPECT_RATIO };
}

function samePad(a: Record<string, number>, b: Record<string, number>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}
