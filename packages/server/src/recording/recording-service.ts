import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, ProtocolError, type RecordingInfo, type RecordingMode, type RequestData, type RoomInfo } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { Participant } from '../rooms/participant.js';
import type { Room } from '../rooms/room.js';
import type { RecorderFactory, RecorderOutputs } from './recorder-port.js';
import type { RecordingLinks } from './recording-links.js';
import { RecordingMetadata } from './recording-metadata.js';
import { RoomRecording, type RecordingSession } from './room-recording.js';
import { RtcpSink } from './rtcp-sink.js';

export interface RecordingSettings {
  /** ENABLE_RECORDING, ENABLE_LIVESTREAMING. */
  enabled: Record<RecordingMode, boolean>;
  /** JIBRI_RECORDING_DIR. */
  dir: string;
  /** JIBRI_FINALIZE_RECORDING_SCRIPT_PATH. */
  finalizeScript: string | undefined;
  width: number;
  height: number;
  fps: number;
  /** MAX_RECORDINGS on this machine, both modes together. */
  maxRecordings: number;
  linkTtlSeconds: number;
  /** The meeting's address, for metadata.json (PUBLIC_URL or the server's own). */
  meetingUrl(room: Room): string;
}

export type RecordingEndReason = 'stopped' | 'meetingEnded' | 'failed';

export type RecordingServiceEvents = {
  recordingStarted: [room: Room, session: RecordingSession];
  /** `files`: what the recording left in its folder (absolute paths); none for a live stream. */
  recordingEnded: [room: Room, session: RecordingSession, reason: RecordingEndReason, files: string[]];
};

/** Finalize scripts get this long before they are stopped (Jibri's wait is unbounded; a hung script must not pile up). */
const FINALIZE_TIMEOUT_MS = 10 * 60_000;

/**
 * Recording and live streaming for the whole server: who may start what, the
 * machine-wide cap, where files go (Jibri's layout), and what happens when a
 * recording ends: metadata.json, the finalize script, a download link for
 * moderators, the `recordingEnded` event everyone in the room gets.
 */
export class RecordingService extends EventEmitter<RecordingServiceEvents> {
  readonly #active = new Map<Room, Map<RecordingMode, RoomRecording>>();
  #count = 0;
  /** Opened with the first recording. */
  #rtcpSink: Promise<RtcpSink> | undefined;

  constructor(
    private readonly settings: RecordingSettings,
    private readonly recorders: RecorderFactory,
    /** Present when files are recorded (ENABLE_RECORDING). */
    private readonly links: RecordingLinks | undefined,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** What everyone in `room` sees: what runs, and why a mode cannot be started. */
  roomInfo(room: Room): Pick<RoomInfo, 'recordings' | 'recordingUnavailable'> {
    const recordings: RecordingInfo[] = [...(this.#active.get(room)?.values() ?? [])].map(({ info }) => ({
      mode: info.mode,
      startedAt: info.startedAt,
      startedBy: info.startedBy,
    }));
    return { recordings, recordingUnavailable: { file: this.#unavailable('file'), stream: this.#unavailable('stream') } };
  }

  #unavailable(mode: RecordingMode): string | null {
    if (this.settings.enabled[mode]) return null;
    return mode === 'file' ? 'Recording is turned off on this server (ENABLE_RECORDING).' : 'Live streaming is turned off on this server (ENABLE_LIVESTREAMING).';
  }

  async start(room: Room, by: Participant | null, request: RequestData<'startRecording'>): Promise<string> {
    const { mode } = request;
    const unavailable = this.#unavailable(mode);
    if (unavailable) throw new ProtocolError(ErrorCode.RecordingUnavailable, unavailable);
    if (mode === 'stream' && request.streamUrl === undefined) {
      throw new ProtocolError(ErrorCode.InvalidRequest, 'A live stream needs streamUrl: the rtmp:// or rtmps:// address with the stream key.');
    }
    const running = this.#active.get(room) ?? new Map<RecordingMode, RoomRecording>();
    if (running.has(mode)) throw alreadyRecording(mode);
    if (this.#count >= this.settings.maxRecordings) {
      throw new ProtocolError(
        ErrorCode.RecordingLimit,
        `This server already runs ${this.settings.maxRecordings} recordings and live streams, its limit (MAX_RECORDINGS); try again when one ends.`,
      );
    }

    const startedAt = Date.now();
    const sessionId = randomBytes(8).toString('hex');
    const folder = mode === 'file' ? join(resolve(this.settings.dir), sessionId) : undefined;
    const session: RecordingSession = {
      mode,
      sessionId,
      folder,
      startedAt,
      startedBy: by && { id: by.id, displayName: by.displayName },
      audioOnly: request.audioOnly === true,
    };
    const metadata =
      mode === 'file'
        ? new RecordingMetadata({
            sessionId,
            meetingUrl: this.settings.meetingUrl(room),
            room: room.name,
            mode,
            startedAt,
            startedBy: session.startedBy,
            extraMetadata: request.extraMetadata ?? {},
          })
        : undefined;
    const recording = new RoomRecording(room, session, metadata, () => this.#rtcpPort(), this.logger.child({ sessionId, room: room.name, mode }));
    // Counted before the first await, so two starts at once cannot both pass the checks above.
    running.set(mode, recording);
    this.#active.set(room, running);
    this.#count += 1;
    // Two people talking directly send nothing to the server: bring them back through it first.
    room.direct.review(0);
    try {
      if (folder) await mkdir(folder, { recursive: true, mode: 0o750 });
      await recording.start(this.recorders, this.#outputs(room, session, request));
    } catch (error) {
      await recording.stop().catch(() => undefined);
      this.#forget(room, recording);
      room.recordingChanged();
      this.logger.error({ err: error, sessionId, mode }, 'could not start the recorder');
      throw new ProtocolError(ErrorCode.Internal, `Could not start the ${mode === 'file' ? 'recording' : 'live stream'}: ${(error as Error).message}`);
    }
    recording.once('failed', (error) => void this.#ended(room, recording, metadata, 'failed', null, error.message));
    room.once('closed', () => void this.stop(room, mode, null, 'meetingEnded').catch(() => undefined));
    this.logger.info({ sessionId, room: room.name, mode, by: by?.id ?? null, folder }, mode === 'file' ? 'recording started' : 'live stream started');
    room.recordingChanged();
    this.emit('recordingStarted', room, session);
    return sessionId;
  }

  async #rtcpPort(): Promise<number> {
    return (await (this.#rtcpSink ??= RtcpSink.open())).port;
  }

  /** Stops what runs in `mode` (nothing when nothing does). */
  async stop(room: Room, mode: RecordingMode, by: string | null, reason: RecordingEndReason = 'stopped'): Promise<void> {
    const recording = this.#active.get(room)?.get(mode);
    if (!recording) return;
    await recording.stop();
    await this.#ended(room, recording, recording.metadata, reason, by);
  }

  /** Stops every recording (server shutdown): files are finished, not cut. */
  async closeAll(): Promise<void> {
    const all = [...this.#active].flatMap(([room, running]) => [...running.keys()].map((mode) => this.stop(room, mode, null, 'meetingEnded')));
    await Promise.allSettled(all);
    (await this.#rtcpSink)?.close();
    this.#rtcpSink = undefined;
  }

  #outputs(room: Room, session: RecordingSession, request: RequestData<'startRecording'>): RecorderOutputs {
    const { width, height, fps } = this.settings;
    const base = { mode: session.mode, audioOnly: session.audioOnly, width, height, fps };
    if (session.mode === 'stream') return { ...base, streamUrl: request.streamUrl! };
    const name = `${room.name.replace(/[^A-Za-z0-9_-]/g, '_')}_${fileTimestamp(session.startedAt)}.${session.audioOnly ? 'm4a' : 'mp4'}`;
    return { ...base, file: join(session.folder!, name), ...(request.perTrackAudio ? { perTrackAudioDir: session.folder! } : {}) };
  }

  #forget(room: Room, recording: RoomRecording): boolean {
    const running = this.#active.get(room);
    if (running?.get(recording.mode) !== recording) return false;
    running.delete(recording.mode);
    if (running.size === 0) this.#active.delete(room);
    this.#count -= 1;
    return true;
  }

  async #ended(room: Room, recording: RoomRecording, metadata: RecordingMetadata | undefined, reason: RecordingEndReason, by: string | null, error?: string): Promise<void> {
    if (!this.#forget(room, recording)) return;
    const { info: session } = recording;
    const files = session.folder ? (await readdir(session.folder).catch(() => [] as string[])).filter((file) => file !== 'metadata.json').sort() : [];
    if (session.folder && metadata) {
      await metadata.write(session.folder, files).catch((err: unknown) => this.logger.error({ err, folder: session.folder }, 'could not write metadata.json'));
    }
    this.logger.info({ sessionId: session.sessionId, mode: session.mode, reason, error, files }, session.mode === 'file' ? 'recording ended' : 'live stream ended');
    if (!room.closed) {
      room.recordingChanged();
      room.broadcast('recordingEnded', { mode: session.mode, reason, by, ...(error ? { error } : {}) });
      const main = files.find((file) => file.endsWith('.mp4') || file.endsWith('.m4a'));
      if (main && session.folder && this.links) {
        const link = this.links.link(session.sessionId, main, this.settings.linkTtlSeconds);
        for (const participant of room.participants()) {
          if (participant.role === 'moderator') participant.notify('recordingLink', { link, ttlSeconds: this.settings.linkTtlSeconds });
        }
      }
    }
    this.emit('recordingEnded', room, session, reason, files.map((file) => join(session.folder!, file)));
    if (session.folder) this.#finalize(session.folder);
  }

  /** Jibri's finalize script: run with the session folder once everything in it is written. */
  #finalize(folder: string): void {
    const script = this.settings.finalizeScript;
    if (!script) return;
    const child = spawn(script, [folder], { stdio: ['ignore', 'pipe', 'pipe'], timeout: FINALIZE_TIMEOUT_MS });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => this.logger.error({ err, script, folder }, 'could not run JIBRI_FINALIZE_RECORDING_SCRIPT_PATH'));
    child.on('close', (code, signal) => {
      const level = code === 0 ? 'info' : 'warn';
      this.logger[level]({ script, folder, code, signal, output: output.trim() }, 'finalize script finished');
    });
  }
}

function alreadyRecording(mode: RecordingMode): ProtocolError {
  return new ProtocolError(ErrorCode.AlreadyRecording, mode === 'file' ? 'This meeting is already being recorded.' : 'This meeting is already being streamed.');
}

/** Jibri's file-name time: yyyy-MM-dd-HH-mm-ss, UTC. */
function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', '-').replaceAll(':', '-');
}
