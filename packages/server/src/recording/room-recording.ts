import { EventEmitter } from 'node:events';
import type { RtpTapDescription } from '@tertulia/media';
import type { MediaSource, RecordingInfo, RecordingMode } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { Room } from '../rooms/room.js';
import type { Recorder, RecorderFactory, RecorderLineup, RecorderOutputs, RecorderParticipant, RecorderStream } from './recorder-port.js';
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

/** What identifies a recording and where it goes. */
export interface RecordingSession extends RecordingInfo {
  sessionId: string;
  /** mode 'file': the session folder, where the outputs and metadata.json go. */
  folder: string | undefined;
  /** Only audio is recorded (no video is tapped). */
  audioOnly: boolean;
}

export type RoomRecordingEvents = {
  /** The recorder stopped by itself; the recording is over (what was written stays). */
  failed: [error: Error];
};

/**
 * One recording (or live stream) of one room: every participant's tracks tapped as
 * plain RTP into the recorder, the picture's lineup kept in step with the room
 * (joins, leaves, cameras, screen shares, the dominant speaker), and who was
 * there, for metadata.json.
 */
export class RoomRecording extends EventEmitter<RoomRecordingEvents> {
  readonly #taps = new Map<string, Tap>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #recorder: Recorder | undefined;
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
    readonly info: RecordingSession,
    readonly metadata: RecordingMetadata | undefined,
    /** Where the taps' RTCP goes (an RtcpSink's port). */
    private readonly rtcpPort: () => Promise<number>,
    private readonly logger: Logger,
  ) {
    super();
  }

  get mode(): RecordingMode {
    return this.info.mode;
  }

  /** Taps what the room sends now, starts the recorder with it, then follows the room. */
  async start(factory: RecorderFactory, outputs: RecorderOutputs): Promise<void> {
    await this.#tapAll();
    this.#recorder = await factory.start(outputs, this.#lineup());
    this.#recorder.once('failed', (error) => {
      if (this.#ended) return;
      this.logger.error({ err: error, sessionId: this.info.sessionId }, 'the recorder stopped by itself');
      void this.#finish().then(() => this.emit('failed', error));
    });
    this.room.on('lineupChanged', this.#onLineup);
    this.room.media.on('tapClosed', this.#onTapClosed);
    this.metadata?.present(this.#people());
  }

  /** Finishes the outputs and closes the taps; resolves once the file is complete. Idempotent. */
  async stop(): Promise<void> {
    if (this.#ended) return;
    await this.#recorder?.stop().catch((err: unknown) => {
      // Cut short rather than finished: what was written (up to the last fragment) still plays.
      this.logger.error({ err, sessionId: this.info.sessionId }, 'the recorder did not finish cleanly');
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
    this.metadata?.end();
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
        this.metadata?.present(this.#people());
      } while (this.#again && !this.#ended);
    })()
      .catch((err: unknown) => this.logger.warn({ err, sessionId: this.info.sessionId }, 'could not follow a change in the room'))
      .finally(() => (this.#running = undefined));
  }

  /** Taps every track not tapped yet, and lets go of taps whose track or sender is gone. */
  async #tapAll(): Promise<void> {
    const wanted = new Map<string, { participantId: string; source: MediaSource }>();
    for (const participant of this.room.participants()) {
      for (const producer of this.room.media.producersOf(participant.id)) {
        if (this.info.audioOnly && producer.source !== 'mic') continue;
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
