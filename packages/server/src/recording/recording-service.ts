import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, ProtocolError, type RecordingInfo, type RecordingMode, type RequestData, type RoomInfo } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { Participant } from '../rooms/participant.js';
import type { Room } from '../rooms/room.js';
import type { RecorderFactory, RecorderOutput } from './recorder-port.js';
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
  /** MAX_RECORDINGS: compositions on this machine (a meeting's recording and live stream share one). */
  maxRecordings: number;
  linkTtlSeconds: number;
  /** The meeting's address, for metadata.json (PUBLIC_URL or the server's own). */
  meetingUrl(room: Room): string;
  /** Media runs on bridges elsewhere (REDIS_URL): their plain RTP cannot reach this machine's recorder yet. */
  remoteMedia: boolean;
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
 * machine-wide cap, where files go (Jibri's layout), a meeting's recording and
 * live stream sharing one composition, and what happens when a session ends:
 * metadata.json, the finalize script, a download link for moderators, the
 * `recordingEnded` event everyone in the room gets.
 */
export class RecordingService extends EventEmitter<RecordingServiceEvents> {
  /** Each room's compositions: one, or two when only one of its sessions is audio-only. */
  readonly #active = new Map<Room, RoomRecording[]>();
  /** Sessions already ended and reported: a composition's failure and its output's may both report one. */
  readonly #over = new WeakSet<RecordingSession>();
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
    const recordings: RecordingInfo[] = this.#sessions(room).map(({ session }) => ({
      mode: session.mode,
      startedAt: session.startedAt,
      startedBy: session.startedBy,
    }));
    return { recordings, recordingUnavailable: { file: this.#unavailable(room, 'file'), stream: this.#unavailable(room, 'stream') } };
  }

  #unavailable(room: Room, mode: RecordingMode): string | null {
    if (!this.settings.enabled[mode]) {
      return mode === 'file' ? 'Recording is turned off on this server (ENABLE_RECORDING).' : 'Live streaming is turned off on this server (ENABLE_LIVESTREAMING).';
    }
    if (this.settings.remoteMedia) {
      return `This server's media bridges run on other machines, and the recorder cannot take their media yet, so it cannot ${mode === 'file' ? 'record' : 'stream'} meetings.`;
    }
    if (room.e2ee) {
      return `This meeting is end-to-end encrypted: the server cannot see its media, so it cannot ${mode === 'file' ? 'record' : 'stream'} it. Turn end-to-end encryption off first.`;
    }
    return null;
  }

  #sessions(room: Room): Array<{ composition: RoomRecording; session: RecordingSession }> {
    return (this.#active.get(room) ?? []).flatMap((composition) => [...composition.sessions.values()].map((session) => ({ composition, session })));
  }

  #compositionCount(): number {
    return [...this.#active.values()].reduce((sum, compositions) => sum + compositions.length, 0);
  }

  async start(room: Room, by: Participant | null, request: RequestData<'startRecording'>): Promise<string> {
    const { mode } = request;
    const unavailable = this.#unavailable(room, mode);
    if (unavailable) throw new ProtocolError(ErrorCode.RecordingUnavailable, unavailable);
    if (mode === 'stream' && request.streamUrl === undefined) {
      throw new ProtocolError(ErrorCode.InvalidRequest, 'A live stream needs streamUrl: the rtmp:// or rtmps:// address with the stream key.');
    }
    if (this.#sessions(room).some(({ session }) => session.mode === mode)) throw alreadyRecording(mode);
    const audioOnly = request.audioOnly === true;
    const shared = this.#active.get(room)?.find((composition) => composition.audioOnly === audioOnly);
    if (!shared && this.#compositionCount() >= this.settings.maxRecordings) {
      throw new ProtocolError(
        ErrorCode.RecordingLimit,
        `This server already records or streams ${this.settings.maxRecordings} meetings, its limit (MAX_RECORDINGS); try again when one ends.`,
      );
    }

    const startedAt = Date.now();
    const sessionId = randomBytes(8).toString('hex');
    const folder = mode === 'file' ? join(resolve(this.settings.dir), sessionId) : undefined;
    const startedBy = by && { id: by.id, displayName: by.displayName };
    const session: RecordingSession = {
      mode,
      sessionId,
      folder,
      startedAt,
      startedBy,
      audioOnly,
      metadata: folder
        ? new RecordingMetadata({
            sessionId,
            meetingUrl: this.settings.meetingUrl(room),
            room: room.name,
            mode,
            startedAt,
            startedBy,
            extraMetadata: request.extraMetadata ?? {},
          })
        : undefined,
      output: this.#output(room, mode, folder, startedAt, audioOnly, request),
    };
    // Two people talking directly send nothing to the server: bring them back through it first.
    room.direct.review(0);
    try {
      if (folder) await mkdir(folder, { recursive: true, mode: 0o750 });
      if (shared) await shared.addSession(session);
      else await this.#compose(room, audioOnly, session);
    } catch (error) {
      room.recordingChanged();
      this.logger.error({ err: error, sessionId, mode }, 'could not start the recorder');
      throw new ProtocolError(ErrorCode.Internal, `Could not start the ${mode === 'file' ? 'recording' : 'live stream'}: ${(error as Error).message}`);
    }
    this.logger.info({ sessionId, room: room.name, mode, by: by?.id ?? null, folder, shared: Boolean(shared) }, mode === 'file' ? 'recording started' : 'live stream started');
    room.recordingChanged();
    this.emit('recordingStarted', room, session);
    return sessionId;
  }

  /** A new composition for `room`, written to `session`'s output. */
  async #compose(room: Room, audioOnly: boolean, session: RecordingSession): Promise<void> {
    const composition = new RoomRecording(room, audioOnly, () => this.#rtcpPort(), this.logger.child({ room: room.name, audioOnly }));
    // Listed before the first await, so that two starts at once cannot both pass the checks.
    this.#active.set(room, [...(this.#active.get(room) ?? []), composition]);
    const { width, height, fps } = this.settings;
    try {
      await composition.start(this.recorders, { width, height, fps }, session);
    } catch (error) {
      await composition.stop().catch(() => undefined);
      this.#drop(room, composition);
      throw error;
    }
    composition.once('failed', (error) => {
      this.#drop(room, composition);
      for (const ended of composition.sessions.values()) void this.#ended(room, ended, 'failed', null, error.message);
    });
    composition.on('outputFailed', (ended, error) => void this.#ended(room, ended, 'failed', null, error.message));
    if (!room.closed) room.once('closed', () => void this.#stopComposition(room, composition));
  }

  async #stopComposition(room: Room, composition: RoomRecording): Promise<void> {
    const sessions = [...composition.sessions.values()];
    await composition.stop();
    this.#drop(room, composition);
    await Promise.all(sessions.map((session) => this.#ended(room, session, 'meetingEnded', null)));
  }

  #drop(room: Room, composition: RoomRecording): void {
    const rest = (this.#active.get(room) ?? []).filter((other) => other !== composition);
    if (rest.length > 0) this.#active.set(room, rest);
    else this.#active.delete(room);
  }

  async #rtcpPort(): Promise<number> {
    return (await (this.#rtcpSink ??= RtcpSink.open())).port;
  }

  /** Stops what runs in `mode` (nothing when nothing does); the composition goes on while another session uses it. */
  async stop(room: Room, mode: RecordingMode, by: string | null): Promise<void> {
    const found = this.#sessions(room).find(({ session }) => session.mode === mode);
    if (!found) return;
    const { composition, session } = found;
    if (composition.sessions.size > 1) await composition.removeSession(mode);
    else {
      await composition.stop();
      this.#drop(room, composition);
    }
    await this.#ended(room, session, 'stopped', by);
  }

  /** Stops every recording (server shutdown): files are finished, not cut. */
  async closeAll(): Promise<void> {
    const all = [...this.#active].flatMap(([room, compositions]) => compositions.map((composition) => this.#stopComposition(room, composition)));
    await Promise.allSettled(all);
    (await this.#rtcpSink)?.close();
    this.#rtcpSink = undefined;
  }

  #output(room: Room, mode: RecordingMode, folder: string | undefined, startedAt: number, audioOnly: boolean, request: RequestData<'startRecording'>): RecorderOutput {
    if (mode === 'stream') return { kind: 'stream', url: request.streamUrl! };
    const name = `${room.name.replace(/[^A-Za-z0-9_-]/g, '_')}_${fileTimestamp(startedAt)}.${audioOnly ? 'm4a' : 'mp4'}`;
    return { kind: 'file', path: join(folder!, name), ...(request.perTrackAudio ? { perTrackAudioDir: folder! } : {}) };
  }

  async #ended(room: Room, session: RecordingSession, reason: RecordingEndReason, by: string | null, error?: string): Promise<void> {
    if (this.#over.has(session)) return;
    this.#over.add(session);
    const { metadata } = session;
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
