import { EventEmitter } from 'node:events';
import type { RtpTapDescription } from '@tertulia/media';
import type { MediaSource, RecordingInfo, RecordingMode } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { Room } from '../rooms/room.js';
import type { Recorder, RecorderFactory, RecorderLineup, RecorderOutput, RecorderParticipant, RecorderSettings, RecorderStream } from './recorder-port.js';
import type { RecordingMetadata } from './recording-metadata.js';
import { freeUdpPort } from './udp-port.js';

/** Keyframe requests after a video stream is tapped: a recorder that joins mid-stream can decode only from one. */
const KEYFRAME_RETRIES_MS = [300, 1000, 2500, 5000];
/** The layer a tap asks senders to keep encoding: 360p fills a grid tile of a 720p picture; screens need their detail. */
const TAP_LAYER: Record<'camera' | 'screen', number> = { camera: 1, screen: 2 };

interface Tap {
  participantId: string;
  producerId: string;
  source: MediaSource;
  stream: RecorderStream;
}

/** What identifies a recording (or live stream) and where it goes. */
export interface RecordingSession extends RecordingInfo {
  sessionId: string;
  /** mode 'file': the session folder, where the outputs and metadata.json go. */
  folder: string | undefined;
  /** Only audio is recorded (no video is tapped). */
  audioOnly: boolean;
  /** mode 'file': who was there, for metadata.json. */
  metadata: RecordingMetadata | undefined;
  output: RecorderOutput;
}

export type RoomRecordingEvents = {
  /** The recorder stopped by itself; every session in it is over (what was written stays). */
  failed: [error: Error];
  /** One session's output stopped by itself while the others go on. */
  outputFailed: [session: RecordingSession, error: Error];
};

/**
 * One room's composition, shared by its recording and its live stream: every
 * participant's tracks tapped as plain RTP into one recorder, whose picture is
 * kept in step with the room (joins, leaves, cameras, screen shares, the
 * dominant speaker) and written to each session's output; who was there goes
 * to each file's metadata.json.
 */
export class RoomRecording extends EventEmitter<RoomRecordingEvents> {
  /** The sessions written from this composition, by mode (a file and a stream at most). */
  readonly sessions = new Map<RecordingMode, RecordingSession>();
  readonly #taps = new Map<string, Tap>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #recorder: Recorder | undefined;
  /** Set while the recorder starts: an output added meanwhile waits for it. */
  #starting: Promise<void> | undefined;
  /** Reconciling runs one at a time; a change meanwhile makes it run again. */
  #running: Promise<void> | undefined;
  #again = false;
  #ended = false;
  readonly #onLineup = () => this.#reconcile();
  readonly #onTapClosed = (tapId: string) => {
    if (this.#taps.delete(tapId)) this.#reconcile();
  };

  constructor(
    private readonly room: Room,
    readonly audioOnly: boolean,
    /** Where the taps' RTCP goes (an RtcpSink's port). */
    private readonly rtcpPort: () => Promise<number>,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Taps what the room sends now, starts the recorder with the first session's output, then follows the room. */
  start(factory: RecorderFactory, settings: Omit<RecorderSettings, 'audioOnly'>, session: RecordingSession): Promise<void> {
    this.sessions.set(session.mode, session);
    this.#starting = (async () => {
      await this.#tapAll();
      this.#recorder = await factory.start({ ...settings, audioOnly: this.audioOnly }, [session.output], this.#lineup());
    })();
    return this.#starting.then(() => this.#follow());
  }

  #follow(): void {
    const recorder = this.#recorder!;
    recorder.once('failed', (error) => {
      if (this.#ended) return;
      this.logger.error({ err: error }, 'the recorder stopped by itself');
      void this.#finish().then(() => this.emit('failed', error));
    });
    recorder.on('keyframeWanted', (participantId, source) => this.#keyframeWanted(participantId, source));
    recorder.on('outputFailed', (kind, error) => {
      const session = this.sessions.get(kind);
      if (!session || this.#ended) return;
      this.sessions.delete(kind);
      session.metadata?.end();
      this.emit('outputFailed', session, error);
    });
    this.room.on('lineupChanged', this.#onLineup);
    this.room.media.on('tapClosed', this.#onTapClosed);
    for (const session of this.sessions.values()) session.metadata?.present(this.#people());
  }

  /** Writes the composition to one more session's output (a stream next to a recording, or the reverse). */
  async addSession(session: RecordingSession): Promise<void> {
    this.sessions.set(session.mode, session);
    try {
      await this.#starting;
      if (this.#ended) throw new Error('the recording ended meanwhile');
      await this.#recorder!.addOutput(session.output);
    } catch (error) {
      if (this.sessions.get(session.mode) === session) this.sessions.delete(session.mode);
      throw error;
    }
    session.metadata?.present(this.#people());
  }

  /** Finishes one session's output while the others go on; the last one stops the whole composition. */
  async removeSession(mode: RecordingMode): Promise<void> {
    const session = this.sessions.get(mode);
    if (!session) return;
    if (this.sessions.size === 1) return this.stop();
    this.sessions.delete(mode);
    await this.#recorder?.removeOutput(session.output.kind).catch((err: unknown) => {
      this.logger.error({ err, sessionId: session.sessionId }, 'the output did not finish cleanly');
    });
    session.metadata?.end();
  }

  /** Finishes every output and closes the taps; resolves once the files are complete. Idempotent. */
  async stop(): Promise<void> {
    if (this.#ended) return;
    await this.#starting?.catch(() => undefined);
    await this.#recorder?.stop().catch((err: unknown) => {
      // Cut short rather than finished: what was written (up to the last fragment) still plays.
      this.logger.error({ err }, 'the recorder did not finish cleanly');
    });
    await this.#finish();
  }

  async #finish(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.room.off('lineupChanged', this.#onLineup);
    this.room.media.off('tapClosed', this.#onTapClosed);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#recorder?.kill();
    await this.#running?.catch(() => undefined);
    for (const [tapId, tap] of this.#taps) {
      this.room.media.closeTap(tapId);
      if (tap.source !== 'mic') this.room.forwarding.releaseTapLayer(tapId);
    }
    this.#taps.clear();
    for (const session of this.sessions.values()) session.metadata?.end();
  }

  #reconcile(): void {
    if (this.#ended || !this.#recorder) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#tapAll();
        if (this.#ended) return;
        this.#recorder!.update(this.#lineup());
        for (const session of this.sessions.values()) session.metadata?.present(this.#people());
      } while (this.#again && !this.#ended);
    })()
      .catch((err: unknown) => this.logger.warn({ err }, 'could not follow a change in the room'))
      .finally(() => (this.#running = undefined));
  }

  /** Taps every track not tapped yet, and lets go of taps whose track or sender is gone. */
  async #tapAll(): Promise<void> {
    const wanted = new Map<string, { participantId: string; source: MediaSource }>();
    for (const participant of this.room.participants()) {
      for (const producer of this.room.media.producersOf(participant.id)) {
        if (this.audioOnly && producer.source !== 'mic') continue;
        wanted.set(producer.producerId, { participantId: participant.id, source: producer.source });
      }
    }
    for (const [tapId, tap] of this.#taps) {
      if (wanted.has(tap.producerId)) continue;
      this.room.media.closeTap(tapId);
      if (tap.source !== 'mic') this.room.forwarding.releaseTapLayer(tapId);
      this.#taps.delete(tapId);
    }
    const tapped = new Set([...this.#taps.values()].map((tap) => tap.producerId));
    for (const [producerId, { participantId, source }] of wanted) {
      if (tapped.has(producerId) || this.#ended) continue;
      const port = await freeUdpPort();
      let description: RtpTapDescription;
      try {
        description = await this.room.media.createRtpTap(producerId, { ip: '127.0.0.1', port, rtcpPort: await this.rtcpPort() });
      } catch (err) {
        // The track went away meanwhile; the next change no longer lists it.
        this.logger.debug({ err, producerId }, 'could not tap a track');
        continue;
      }
      const stream: RecorderStream = {
        id: description.tapId,
        port,
        mimeType: description.mimeType,
        payloadType: description.payloadType,
        clockRate: description.clockRate,
        ...(description.channels !== undefined ? { channels: description.channels } : {}),
      };
      this.#taps.set(description.tapId, { participantId, producerId, source, stream });
      if (source !== 'mic') {
        this.room.forwarding.holdTapLayer(description.tapId, producerId, TAP_LAYER[source]);
        this.#askForKeyframes(description.tapId);
      }
    }
  }

  /** The recorder's decoder of someone's video lost its place: ask the sender (the recorder asks at most once a second per stream). */
  #keyframeWanted(participantId: string, source: MediaSource): void {
    const tapId = [...this.#taps].find(([, tap]) => tap.participantId === participantId && tap.source === source)?.[0];
    if (tapId) this.room.media.requestTapKeyFrame(tapId).catch(() => undefined);
  }

  #askForKeyframes(tapId: string): void {
    for (const delay of KEYFRAME_RETRIES_MS) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.room.media.requestTapKeyFrame(tapId).catch(() => undefined);
      }, delay);
      this.#timers.add(timer);
    }
  }

  #people(): Array<{ id: string; name: string }> {
    return this.room.participants().map((participant) => ({ id: participant.id, name: participant.displayName }));
  }

  #lineup(): RecorderLineup {
    const participants: RecorderParticipant[] = this.room.participants().map((participant) => {
      const entry: RecorderParticipant = { id: participant.id, name: participant.displayName || 'Participant' };
      for (const tap of this.#taps.values()) {
        if (tap.participantId === participant.id) entry[tap.source] = tap.stream;
      }
      return entry;
    });
    return { participants, dominantSpeakerId: this.room.dominantSpeakerId };
  }
}
