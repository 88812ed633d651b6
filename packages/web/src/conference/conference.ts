import {
  CloseCode,
  ErrorCode,
  ProtocolError,
  type BreakoutRoom,
  type ChatMessage,
  type JoinedMeeting,
  type Knocker,
  type RequestMethod,
  type RoomInfo,
  type MediaSource,
  type VideoSource,
  type NotificationData,
  type Participant,
  type Poll,
  type SpeakerStat,
  type Reaction,
  type RecordingInfo,
  type RecordingMode,
  type RequestData,
} from '@tertulia/protocol';
import { SignalClient, signallingUrl } from '../signalling/signal-client.js';
import { language, t, type Text } from '../i18n/i18n.js';
import { describeError } from '../i18n/error-text.js';
import { LocalizedError } from '../i18n/localized-error.js';
import { canEncryptMedia } from '../e2ee/media-encryption.js';
import { MeetingEncryption } from '../e2ee/meeting-encryption.js';
import { externalMaterial } from '../e2ee/shared-key-material.js';
import { Emitter } from './emitter.js';
import { getCamera, getMicrophone, getScreen, MediaAccessError, type DeviceKind } from './local-media.js';
import { MediaEngine, type HeldBack, type InboundStat, type MediaPath, type OutboundStat } from './media-engine.js';
import { startedRecordings } from './recording-changes.js';
import { clearSession, loadSession, saveSession } from './session-store.js';

/** Reconnect back-off, and when to give up and ask the person. */
const RECONNECT_DELAYS_MS = [250, 1000, 2000, 4000, 5000];
const RECONNECT_GIVE_UP_MS = 120_000;
/** The server closes a socket with this code when the same session was resumed by another connection. */
const CLOSE_SUPERSEDED = 4001;

/** `waiting`: outside the room, for a host to arrive or a moderator to answer a knock (see `waitingFor`). */
export type ConnectionState = 'idle' | 'connecting' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'failed';

/** The server wants something only the person can give before they can join. */
export interface CredentialPrompt {
  kind: 'login' | 'password';
  /** Why the last attempt failed, if it did. */
  error: Text | undefined;
}

/** Requests only moderators may make; the UI calls them through `moderate()`. */
export type ModerationMethod = Extract<
  RequestMethod,
  | 'muteParticipant'
  | 'muteAll'
  | 'askToUnmute'
  | 'setAvModeration'
  | 'approveMedia'
  | 'kick'
  | 'grantModerator'
  | 'endConference'
  | 'setPassword'
  | 'setLobby'
  | 'answerKnock'
  | 'setSubject'
  | 'setFollowMe'
  | 'setE2ee'
  | 'lowerHand'
  | 'setChatMuted'
  | 'createBreakoutRoom'
  | 'removeBreakoutRoom'
  | 'closeBreakoutRooms'
  | 'autoAssignBreakoutRooms'
  | 'sendToBreakoutRoom'
>;

/** Why this person is no longer in the meeting. */
export type LeftReason = 'left' | 'kicked' | 'ended';

export interface RemoteParticipant extends Participant {
  tracks: Partial<Record<MediaSource, MediaStreamTrack>>;
  /** Videos of theirs the server does not forward to us, and why (last-N, bandwidth, not visible). */
  videoHeldBack: HeldBack;
  /** Their media reaches us end-to-end encrypted, and we decrypt it (E2EE on, and they send). */
  sendsEncrypted?: boolean;
  /** With exchanged E2EE keys: the code the two of us see, to compare (it differs if the server swapped keys). */
  e2eeCode?: string;
}

export interface LocalState {
  audioMuted: boolean;
  videoMuted: boolean;
  cameraTrack: MediaStreamTrack | undefined;
  screenTrack: MediaStreamTrack | undefined;
  micDeviceId: string | undefined;
  cameraDeviceId: string | undefined;
}

export interface ConferenceState {
  connection: ConnectionState;
  /** Why the conference failed or what the person should do. */
  error: Text | undefined;
  roomName: string;
  startedAt: number | undefined;
  self: Participant | undefined;
  participants: RemoteParticipant[];
  dominantSpeakerId: string | null;
  local: LocalState;
  /** Chat visible to this person, oldest first (kept in memory only). */
  chat: ChatMessage[];
  leftReason: LeftReason | undefined;
  /** Subject, lock, lobby and A/V moderation, once in the room. */
  room: RoomInfo | undefined;
  waitingFor: 'host' | 'lobby' | undefined;
  prompt: CredentialPrompt | undefined;
  /** Moderators: people knocking in the lobby. */
  knocking: Knocker[];
  /** Media flows directly to the one other participant, not through the server. */
  p2p: boolean;
  /** The room's polls as this person sees them, oldest first. */
  polls: Poll[];
  /** What this person's token grants (e.g. 'create-polls'). */
  features: string[];
  /** The meeting's breakout rooms and who is in each; `room.breakout` says which one this person is in. */
  breakoutRooms: BreakoutRoom[];
  /** What this person chose to receive and send (quality setting, audio only, last-N). */
  video: VideoSettings;
}

export interface VideoSettings {
  /** Tallest video received or sent, in pixels (High 720, Standard 360, Low 180). */
  maxHeight: number;
  /** No video in either direction. */
  audioOnly: boolean;
  /** Most remote videos to receive; -1 = all. */
  lastN: number;
}

/**
 * `text` is best a phrase (`{ key, params }`): it is translated when shown, so it follows a language change.
 * A notice with a `link` stays until dismissed, so the link can be used.
 */
/** `sticky`: stays until dismissed (being told, on coming in, that the meeting is recorded). */
export type Notice = { kind: 'joined' | 'left' | 'info' | 'error'; text: Text; link?: { href: string; label: Text }; sticky?: boolean };

/** `change` carries the whole state; the others name what happened, for the iframe API and notices. */
export type ConferenceEvents = {
  change: [ConferenceState];
  notice: [Notice];
  joined: [Participant];
  /** `by`: the moderator who removed this person (kicked), when known. */
  left: [reason: LeftReason, by: string | null];
  participantJoined: [Participant];
  participantUpdated: [Participant];
  /** With `kick` when a moderator (`by`; null: the server's REST API) removed the person. */
  participantLeft: [participant: Participant, kick?: { by: string | null }];
  chatMessage: [ChatMessage];
  /** Someone's hand went up or down (`handRaisedAt` says which), this person's own included. */
  handChanged: [Participant];
  reaction: [participantId: string, reaction: Reaction];
  /** App data another participant sent to this one alone. */
  endpointMessage: [from: string, text: string];
  /** The microphone or camera could not be opened (denied, missing, busy…). */
  deviceError: [MediaAccessError];
  /** A WebRTC connection failed: the direct one (`isP2P`) or one to the media server. */
  peerConnectionFailure: [isP2P: boolean, wasConnected: boolean];
  /** Under A/V moderation, a moderator let this person unmute (or took that back). */
  mediaApproval: [kind: 'audio' | 'video', approved: boolean];
  /** The person's video quality setting (tallest video, in pixels). */
  videoQualityChanged: [maxHeight: number];
  audioOnlyChanged: [enabled: boolean];
  /** A recording or live stream began in the room (by anyone), or was running when we came in. */
  recordingStarted: [RecordingInfo];
  /** A recording or live stream ended: stopped, the meeting ended, or it failed (`error` says why). */
  recordingEnded: [NotificationData<'recordingEnded'>];
  /** Moderators: a finished recording's download link (a path on this server) and how long it works. */
  recordingLink: [link: string, ttlSeconds: number];
};

export interface JoinOptions {
  room: string;
  displayName: string;
  audioMuted: boolean;
  videoMuted: boolean;
  micDeviceId?: string | undefined;
  cameraDeviceId?: string | undefined;
  /** Tracks from the prejoin preview, handed over instead of asking for the devices again. */
  tracks?: { mic?: MediaStreamTrack | undefined; camera?: MediaStreamTrack | undefined };
  /** A Jitsi JWT (the room URL's `?jwt=`, or the iframe API's `jwt` option). */
  jwt?: string | undefined;
  /** 'relay': media only through the TURN server (hides this browser's addresses; for tests and privacy). */
  iceTransportPolicy?: RTCIceTransportPolicy | undefined;
}

export type { HeldBack, HeldBackReason, InboundStat, MediaPath, OutboundStat } from './media-engine.js';

/**
 * A person's side of a meeting: signalling, who is there, our local devices, and
 * recovery from dropped connections; the media itself is the MediaEngine's. The UI
 * reads `state` and listens for `change`; it never touches WebRTC itself.
 */
export class Conference extends Emitter<ConferenceEvents> {
  #state: ConferenceState;
  #options: JoinOptions | undefined;
  #signal: SignalClient | undefined;
  readonly #engine: MediaEngine;
  /** End-to-end encryption while the room has it on (`room.e2ee`). */
  readonly #encryption = new MeetingEncryption({
    send: (to, message) => void this.#request('sendE2eeMessage', { to, message }).catch(() => undefined),
    encryptedSenders: (ids) => this.#update({ participants: this.#state.participants.map((p) => ({ ...p, sendsEncrypted: ids.has(p.id) })) }),
    paired: (id, code) => this.#update({ participants: this.#state.participants.map((p) => (p.id === id ? { ...p, e2eeCode: code } : p)) }),
  });
  #mic: MediaStreamTrack | undefined;
  #reconnecting: Promise<void> | undefined;
  /** What the person typed into a login or password prompt, reused when reconnecting. */
  #login: { username: string; password: string } | undefined;
  #roomPassword: string | undefined;
  /** The camera and microphone asked for at join, opening alongside the signalling. */
  #tracksReady: Promise<void> = Promise.resolve();
  /** Entering the room we were moved to (see #moveTo). */
  #moving = false;
  /** Whether the session outlives this page (see #onPageHide). */
  #sessionKept = true;

  constructor(roomName: string) {
    super();
    this.#state = {
      connection: 'idle',
      error: undefined,
      roomName,
      startedAt: undefined,
      self: undefined,
      participants: [],
      dominantSpeakerId: null,
      chat: [],
      leftReason: undefined,
      room: undefined,
      waitingFor: undefined,
      prompt: undefined,
      knocking: [],
      p2p: false,
      polls: [],
      features: [],
      breakoutRooms: [],
      video: { maxHeight: 720, audioOnly: false, lastN: -1 },
      local: {
        audioMuted: false,
        videoMuted: false,
        cameraTrack: undefined,
        screenTrack: undefined,
        micDeviceId: undefined,
        cameraDeviceId: undefined,
      },
    };
    this.#engine = new MediaEngine({
      request: (method, data) => this.#request(method, data),
      participant: (id) => this.#state.participants.find((p) => p.id === id),
      outgoing: (source) => this.#outgoing(source),
    });
    this.#engine.on('tracks', (participantId, tracks) => {
      this.#update({ participants: this.#state.participants.map((p) => (p.id === participantId ? { ...p, tracks } : p)) });
    });
    this.#engine.on('p2p', (p2p) => this.#update({ p2p }));
    this.#engine.on('peerConnectionFailure', (isP2P, wasConnected) => this.emit('peerConnectionFailure', isP2P, wasConnected));
    this.#engine.on('unrecoverable', () => {
      if (this.#state.connection === 'joined') void this.#reconnect();
    });
    this.#engine.on('heldBack', (participantId, videoHeldBack) => {
      this.#update({ participants: this.#state.participants.map((p) => (p.id === participantId ? { ...p, videoHeldBack } : p)) });
    });
    this.#engine.on('trackFailed', (error) => {
      if (this.#state.connection === 'joined') this.emit('notice', { kind: 'error', text: { key: 'notices.trackFailed', params: { detail: describeError(error) } } });
    });
  }

  get state(): ConferenceState {
    return this.#state;
  }

  async join(options: JoinOptions): Promise<void> {
    this.#options = options;
    addEventListener('pagehide', this.#onPageHide);
    this.#update({
      connection: 'connecting',
      error: undefined,
      local: {
        ...this.#state.local,
        audioMuted: options.audioMuted,
        videoMuted: options.videoMuted,
        micDeviceId: options.micDeviceId,
        cameraDeviceId: options.cameraDeviceId,
      },
    });
    // The devices open while signalling connects and joins; #enter waits for them before sending.
    this.#tracksReady = this.#acquireInitialTracks(options);
    await Promise.all([this.#tracksReady, this.#attempt()]);
  }

  /** Answers a login or password prompt and tries again. */
  async submitCredentials(credentials: { username: string; password: string } | { roomPassword: string }): Promise<void> {
    if ('roomPassword' in credentials) this.#roomPassword = credentials.roomPassword;
    else this.#login = credentials;
    this.#update({ connection: 'connecting', prompt: undefined });
    await this.#attempt();
  }

  /** Moderator actions; the server refuses them (FORBIDDEN) for anyone else. */
  async moderate<M extends ModerationMethod>(method: M, data: RequestData<M>): Promise<void> {
    await this.#request(method, data);
  }

  /** One try at joining: a credential problem becomes a prompt, anything else a failure. */
  async #attempt(): Promise<void> {
    try {
      await this.#connect();
    } catch (error) {
      // The session is being rebuilt (the connection dropped, or a move overtook the entry): that takes over.
      if (this.#reconnecting) return;
      const tried = this.#login ? 'login' : this.#roomPassword !== undefined ? 'password' : undefined;
      const prompt = promptFor(error, tried);
      if (prompt) {
        this.#closeSignal();
        if (prompt === 'redirect') location.assign(loginRedirect((error as ProtocolError).loginUrl!));
        else this.#update({ connection: 'idle', prompt });
        return;
      }
      this.#fail(error instanceof ProtocolError && error.code === ErrorCode.RateLimited ? new LocalizedError({ key: 'errors.tooManyJoins' }) : error);
      throw error;
    }
  }

  /** Into a breakout room, or back to the main room with null; the server's `moved` does the rest. */
  async joinBreakoutRoom(roomId: string | null): Promise<void> {
    await this.#request('joinBreakoutRoom', { roomId });
  }

  async leave(): Promise<void> {
    if (this.#state.connection === 'left') return;
    await this.#signal?.request('leave', {}).catch(() => undefined);
    this.#end('left');
  }

  /**
   * Without storage (a meeting embedded by another site whose storage the browser
   * blocks) a reload cannot resume the session: leave as the page goes, so the others
   * do not keep seeing us until the server's reconnect grace runs out.
   */
  readonly #onPageHide = (event: PageTransitionEvent) => {
    if (!event.persisted && !this.#sessionKept) void this.leave();
  };

  /** Sends a chat message to everyone, or privately to one participant. */
  async sendChat(text: string, to?: string): Promise<void> {
    await this.#request('sendChat', { text, ...(to ? { to } : {}) });
  }

  /** App data for one other participant in this room (the iframe API's sendEndpointTextMessage). */
  async sendEndpointMessage(to: string, text: string): Promise<void> {
    await this.#request('sendEndpointMessage', { to, text });
  }

  /** Tells everyone that we record the meeting on this device (or stopped). */
  async setRecordingLocally(on: boolean): Promise<void> {
    await this.#request('setRecordingLocally', { on });
  }

  /** Our own hand; `state.self.handRaisedAt` changes when the server's update comes back. */
  async setHandRaised(raised: boolean): Promise<void> {
    await this.#request('raiseHand', { raised });
  }

  /** An emoji over our tile for everyone (rate-limited by the server). */
  async sendReaction(reaction: Reaction): Promise<void> {
    await this.#request('sendReaction', { reaction });
  }

  /** Polls: the server refuses what this person may not do; `state.polls` changes with its `pollUpdated`. */
  async createPoll(question: string, options: string[], anonymous: boolean): Promise<void> {
    await this.#request('createPoll', { question, options, anonymous });
  }

  async votePoll(pollId: string, option: number): Promise<void> {
    await this.#request('votePoll', { pollId, option });
  }

  async closePoll(pollId: string): Promise<void> {
    await this.#request('closePoll', { pollId });
  }

  /** Records the meeting on the server or streams it live; the server refuses (FORBIDDEN) anyone not allowed to. */
  async startRecording(request: RequestData<'startRecording'>): Promise<string> {
    return (await this.#request('startRecording', request)).sessionId;
  }

  async stopRecording(mode: RecordingMode): Promise<void> {
    await this.#request('stopRecording', { mode });
  }

  /** Our microphone while it is open (silent while muted), for recording the meeting on this device. */
  localMicrophone(): MediaStreamTrack | undefined {
    return this.#mic;
  }

  /** Talk time so far of everyone in the meeting and everyone who left it. */
  async speakerStats(): Promise<SpeakerStat[]> {
    return (await this.#request('getSpeakerStats', {})).stats;
  }

  async setAudioMuted(muted: boolean): Promise<void> {
    if (!muted && !this.#mic) {
      this.#mic = await this.#guard(getMicrophone(this.#state.local.micDeviceId));
      if (!this.#mic) return;
      this.#update({ local: { ...this.#state.local, audioMuted: false, micDeviceId: deviceIdOf(this.#mic) } });
      await this.#engine.produce('mic', this.#mic, false);
      return;
    }
    const producerId = this.#engine.producerId('mic');
    if (!producerId) {
      this.#update({ local: { ...this.#state.local, audioMuted: muted } });
      return;
    }
    // Muting takes effect here at once; unmuting waits for the server, which may refuse under A/V moderation.
    if (muted) {
      this.#engine.setProducerPaused('mic', true);
      if (this.#mic) this.#mic.enabled = false;
      this.#update({ local: { ...this.#state.local, audioMuted: true } });
      await this.#request('setProducerPaused', { producerId, paused: true });
      return;
    }
    const allowed = await this.#guard(this.#request('setProducerPaused', { producerId, paused: false }));
    if (!allowed) return;
    this.#engine.setProducerPaused('mic', false);
    if (this.#mic) this.#mic.enabled = true;
    this.#update({ local: { ...this.#state.local, audioMuted: false } });
  }

  /** Camera off releases the camera (its light goes out); camera on asks for it again. */
  async setVideoMuted(muted: boolean): Promise<void> {
    if (muted) {
      // Off here at once, like the microphone: not after the server's answer, which the others may see first.
      const track = this.#state.local.cameraTrack;
      this.#update({ local: { ...this.#state.local, videoMuted: true, cameraTrack: undefined } });
      this.#syncSenders();
      track?.stop();
      await this.#engine.stopSending('camera');
      return;
    }
    if (this.#state.local.cameraTrack) return;
    const track = await this.#guard(getCamera(this.#state.local.cameraDeviceId));
    if (!track) return;
    this.#update({ local: { ...this.#state.local, videoMuted: false, cameraTrack: track } });
    // Under video moderation the server may refuse; then the camera goes off again.
    const sent = await this.#guard(this.#engine.produce('camera', track, false).then(() => true));
    if (!sent) {
      track.stop();
      this.#update({ local: { ...this.#state.local, videoMuted: true, cameraTrack: undefined } });
    }
    this.#syncSenders();
  }

  /** Shares a screen beside the camera; ends by itself when the browser's "stop sharing" is used. */
  async startScreenShare(): Promise<void> {
    if (this.#state.local.screenTrack) return;
    const track = await this.#guard(getScreen());
    if (!track) return;
    track.addEventListener('ended', () => void this.stopScreenShare());
    const sent = await this.#guard(this.#engine.produce('screen', track, false).then(() => true));
    if (sent) this.#update({ local: { ...this.#state.local, screenTrack: track } });
    else track.stop();
    this.#syncSenders();
  }

  async stopScreenShare(): Promise<void> {
    const track = this.#state.local.screenTrack;
    if (!track) return;
    await this.#engine.stopSending('screen');
    track.stop();
    this.#update({ local: { ...this.#state.local, screenTrack: undefined } });
    this.#syncSenders();
  }

  /** Switches microphone or camera mid-call without renegotiating. */
  async switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    if (kind === 'audioinput') {
      this.#update({ local: { ...this.#state.local, micDeviceId: deviceId } });
      if (!this.#mic) return;
      const track = await this.#guard(getMicrophone(deviceId));
      if (!track) return;
      track.enabled = !this.#state.local.audioMuted;
      const old = this.#mic;
      this.#mic = track;
      this.#syncSenders();
      old.stop();
      this.#update({ local: { ...this.#state.local, micDeviceId: deviceIdOf(track) } });
      return;
    }
    this.#update({ local: { ...this.#state.local, cameraDeviceId: deviceId } });
    const old = this.#state.local.cameraTrack;
    if (!old) return;
    const track = await this.#guard(getCamera(deviceId));
    if (!track) return;
    this.#update({ local: { ...this.#state.local, cameraTrack: track } });
    this.#syncSenders();
    old.stop();
  }

  /** Turns to the front ('user') or back ('environment') camera, where the device has both. */
  async setCameraFacingMode(facingMode: 'user' | 'environment'): Promise<void> {
    const old = this.#state.local.cameraTrack;
    if (!old) return;
    const track = await this.#guard(getCamera(undefined, facingMode));
    if (!track) return;
    this.#update({ local: { ...this.#state.local, cameraTrack: track, cameraDeviceId: track.getSettings().deviceId } });
    this.#syncSenders();
    old.stop();
  }

  async setDisplayName(displayName: string): Promise<void> {
    if (this.#options) this.#options.displayName = displayName;
    await this.#request('setDisplayName', { displayName });
    if (this.#state.self) this.#update({ self: { ...this.#state.self, displayName } });
  }

  /** Our picture for everyone (undefined: initials). */
  async setAvatarUrl(avatarUrl: string | undefined): Promise<void> {
    await this.#request('setAvatarUrl', { avatarUrl: avatarUrl ?? null });
    if (this.#state.self) this.#update({ self: { ...this.#state.self, avatarUrl } });
  }

  // ── video quality ─────────────────────────────────────────────────────────

  /** Device pixels high that a remote video is drawn (0: not visible). Cheap: the engine debounces and sends only changes. */
  setVideoSize(participantId: string, source: VideoSource, height: number): void {
    this.#engine.setVideoSize(participantId, source, height);
  }

  /** Who is pinned or on the large stage. */
  setOnStage(participantIds: string[]): void {
    this.#engine.setOnStage(participantIds);
  }

  /** The person's quality setting: caps every received video's height and the layers we send. */
  setVideoQuality(maxHeight: number): void {
    if (!Number.isFinite(maxHeight) || maxHeight <= 0 || maxHeight === this.#state.video.maxHeight) return;
    this.#engine.setMaxHeight(maxHeight);
    this.#update({ video: { ...this.#state.video, maxHeight } });
    this.emit('videoQualityChanged', maxHeight);
  }

  /** Receive no video and send none (the camera stays open, so turning it off again is instant). */
  setAudioOnly(enabled: boolean): void {
    if (enabled === this.#state.video.audioOnly) return;
    this.#engine.setAudioOnly(enabled);
    this.#update({ video: { ...this.#state.video, audioOnly: enabled } });
    this.emit('audioOnlyChanged', enabled);
  }

  /** Most remote videos to receive (config `channelLastN`; -1 = all). */
  setLastN(lastN: number): void {
    if (!Number.isInteger(lastN) || lastN === this.#state.video.lastN) return;
    this.#engine.setLastN(lastN);
    this.#update({ video: { ...this.#state.video, lastN: Math.max(-1, lastN) } });
  }

  /** Never receive more video than `bps` bits per second (iframe setAssumedBandwidthBps); 0 lifts the cap. */
  setAssumedBandwidth(bps: number): void {
    this.#engine.setAssumedBandwidth(bps);
  }

  // ── end-to-end encryption ─────────────────────────────────────────────────

  /**
   * An integrator's own media key (Jitsi's setMediaEncryptionKey: the raw bytes of an AES key
   * and its index): everyone then sends and decrypts under the key given, instead of exchanged ones.
   */
  setMediaEncryptionKey(key: ArrayBuffer | Uint8Array<ArrayBuffer>, index: number): void {
    this.#encryption.setSharedKey(index, externalMaterial(key));
  }

  /** Jitsi's `e2ee.externallyManagedKey`: end-to-end encryption only ever uses keys given with setMediaEncryptionKey. */
  useExternallyManagedKeys(): void {
    this.#encryption.useApplicationKeysOnly();
  }

  /** The slot of the media key we send under while E2EE is on (it changes when someone leaves). */
  e2eeKeyIndex(): number | undefined {
    return this.#encryption.keyIndex;
  }

  /** Frames per sender that could not be decrypted since E2EE went on. */
  e2eeDecryptFailures(): Readonly<Record<string, number>> {
    return this.#encryption.failures;
  }

  /** Receive-side figures per remote track, for diagnostics and tests. */
  inboundStats(): Promise<InboundStat[]> {
    return this.#engine.inboundStats();
  }

  /** Send-side figures per encoding of each of our streams. */
  outboundStats(): Promise<OutboundStat[]> {
    return this.#engine.outboundStats();
  }

  /** The type of our side of the direct connection's candidate pair (host, srflx, relay), when it is up. */
  p2pCandidateType(): Promise<string | undefined> {
    return this.#engine.p2pCandidateType();
  }

  /** Restarts ICE on both transports to the media server (gathering again with the current ICE servers). */
  restartIce(): Promise<void> {
    return this.#engine.restartIce();
  }

  /** The selected candidate pair of each transport to the media server, for diagnostics and tests. */
  mediaPaths(): Promise<MediaPath[]> {
    return this.#engine.mediaPaths();
  }

  // ── connecting ────────────────────────────────────────────────────────────

  async #acquireInitialTracks(options: JoinOptions): Promise<void> {
    if (options.videoMuted) options.tracks?.camera?.stop();
    const [mic, camera] = await Promise.all([
      options.tracks?.mic ?? this.#guard(getMicrophone(options.micDeviceId)),
      options.videoMuted ? undefined : (options.tracks?.camera ?? this.#guard(getCamera(options.cameraDeviceId))),
    ]);
    // The join failed or was left while the devices opened: their lights go out.
    if (this.#state.connection === 'failed' || this.#state.connection === 'left') {
      mic?.stop();
      camera?.stop();
      return;
    }
    this.#mic = mic;
    if (mic) mic.enabled = !options.audioMuted;
    const micDeviceId = mic ? deviceIdOf(mic) : options.micDeviceId;
    this.#update({ local: { ...this.#state.local, cameraTrack: camera, videoMuted: !camera, micDeviceId } });
    // A direct link to the one other person can come up while the devices open: it gets them now.
    this.#syncSenders();
  }

  /** Opens signalling and asks to join (resuming a previous session when we have one). */
  async #connect(): Promise<void> {
    const options = this.#options!;
    const signal = await SignalClient.connect(signallingUrl(), this.#notificationHandlers(), (code) => this.#onSignalClosed(code));
    this.#signal = signal;
    const previous = loadSession(options.room);
    const auth = { ...(options.jwt ? { jwt: options.jwt } : {}), ...this.#login };
    const answer = await signal.request('join', {
      room: options.room,
      displayName: options.displayName,
      ...(previous ? { rejoin: previous } : {}),
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
      ...(this.#roomPassword !== undefined ? { password: this.#roomPassword } : {}),
    });
    if (answer.status === 'waiting') {
      this.#update({ connection: 'waiting', waitingFor: answer.reason });
      return;
    }
    await this.#enter(answer.meeting);
  }

  /** In the meeting: learn who is there, build transports and start sending. */
  async #enter(meeting: JoinedMeeting): Promise<void> {
    this.#sessionKept = saveSession(this.#options!.room, { participantId: meeting.self.id, token: meeting.sessionToken });
    const recordingsBefore = this.#state.room?.recordings;
    if (this.#options?.iceTransportPolicy === 'relay' && meeting.iceServers.length === 0) {
      this.emit('notice', { kind: 'error', text: { key: 'notices.noTurn' } });
    }
    this.#update({
      roomName: meeting.room.name,
      room: meeting.room,
      // In this browser's clock, so every participant's timer shows the same elapsed time.
      startedAt: meeting.room.startedAt + (Date.now() - meeting.room.serverTime),
      self: meeting.self,
      participants: meeting.participants.map((p) => ({ ...p, tracks: {}, videoHeldBack: {} })),
      dominantSpeakerId: null,
      chat: mergeChat(this.#state.chat, meeting.chatHistory),
      knocking: meeting.knocking,
      polls: meeting.polls,
      features: meeting.features,
      breakoutRooms: meeting.breakoutRooms,
      waitingFor: undefined,
    });

    // Told first, before any media flows: people have a right to know they are being recorded.
    this.#announceRecordings(recordingsBefore, meeting.room.recordings);
    for (const participant of meeting.participants) if (participant.recordingLocally) this.#announceLocalRecording(participant);
    // Before anything is sent: nothing may leave unencrypted in an E2EE meeting.
    this.#applyE2ee();
    await Promise.all([this.#engine.start({ ...meeting, iceTransportPolicy: this.#options?.iceTransportPolicy }), this.#tracksReady]);

    const mayUnmute = (kind: 'audio' | 'video') => !meeting.room.avModeration[kind] || meeting.self.role === 'moderator';
    if (this.#mic && !mayUnmute('audio') && !this.#state.local.audioMuted) this.#update({ local: { ...this.#state.local, audioMuted: true } });
    const { cameraTrack, screenTrack, audioMuted } = this.#state.local;
    await Promise.all([
      this.#mic && this.#engine.produce('mic', this.#mic, audioMuted),
      cameraTrack && (mayUnmute('video') ? this.#engine.produce('camera', cameraTrack, false) : this.setVideoMuted(true)),
      screenTrack && mayUnmute('video') && this.#engine.produce('screen', screenTrack, false),
    ]);
    this.#update({ connection: 'joined', error: undefined });
    this.emit('joined', meeting.self);
  }

  /**
   * We are now in another room of the meeting (a breakout room or the main room), or this
   * room's media now runs on another bridge (`mediaRestarted`): the old media and direct link
   * go, and we enter again on the same connection, keeping our tracks and mute state.
   */
  #moveTo(meeting: JoinedMeeting, notice: boolean): void {
    if (this.#state.connection !== 'joined' || this.#moving) {
      // An entry still under way may already have reached the new room: resume the session there instead.
      this.#closeSignal();
      void this.#reconnect();
      return;
    }
    this.#moving = true;
    this.#teardownMedia();
    const breakout = meeting.room.breakout;
    this.#enter(meeting)
      .then(() => {
        if (notice) this.emit('notice', { kind: 'info', text: breakout ? { key: 'breakout.notice.moved', params: { room: breakout.name } } : { key: 'breakout.notice.main' } });
      })
      // Not joined: a reconnect (which closes the socket itself) has already taken over.
      .catch(() => {
        if (this.#state.connection === 'joined') void this.#reconnect();
      })
      .finally(() => (this.#moving = false));
  }

  // ── what the server tells us ──────────────────────────────────────────────

  #notificationHandlers() {
    return {
      participantJoined: ({ participant }: NotificationData<'participantJoined'>) => {
        this.#encryption.participantJoined(participant.id);
        this.#upsertParticipant(participant);
        this.emit('participantJoined', participant);
        this.emit('notice', { kind: 'joined', text: { key: 'notices.joined', params: { name: participant.displayName || { key: 'notices.aGuest' } } } });
      },
      participantUpdated: ({ participant }: NotificationData<'participantUpdated'>) => {
        const before = [this.#state.self, ...this.#state.participants].find((p) => p?.id === participant.id);
        if (participant.id === this.#state.self?.id) this.#update({ self: participant });
        else this.#upsertParticipant(participant);
        this.#engine.participantUpdated(participant.id);
        this.emit('participantUpdated', participant);
        if (before && before.handRaisedAt !== participant.handRaisedAt) this.emit('handChanged', participant);
        if (before && participant.id !== this.#state.self?.id && Boolean(before.recordingLocally) !== Boolean(participant.recordingLocally)) {
          this.#announceLocalRecording(participant);
        }
      },
      participantLeft: ({ participantId, reason, by }: NotificationData<'participantLeft'>) => {
        const gone = this.#state.participants.find((p) => p.id === participantId);
        this.#engine.dropParticipant(participantId);
        this.#encryption.participantLeft(participantId);
        this.#update({ participants: this.#state.participants.filter((p) => p.id !== participantId) });
        if (!gone) return;
        this.emit('participantLeft', gone, reason === 'kicked' ? { by: by ?? null } : undefined);
        this.emit('notice', { kind: 'left', text: { key: 'notices.left', params: { name: gone.displayName || { key: 'notices.aGuest' } } } });
      },
      reaction: ({ participantId, reaction }: NotificationData<'reaction'>) => this.emit('reaction', participantId, reaction),
      breakoutRoomsUpdated: ({ rooms }: NotificationData<'breakoutRoomsUpdated'>) => this.#update({ breakoutRooms: rooms }),
      moved: ({ meeting }: NotificationData<'moved'>) => this.#moveTo(meeting, true),
      mediaRestarted: ({ meeting }: NotificationData<'mediaRestarted'>) => this.#moveTo(meeting, false),
      pollUpdated: ({ poll }: NotificationData<'pollUpdated'>) => {
        const isNew = !this.#state.polls.some((p) => p.id === poll.id);
        this.#update({ polls: isNew ? [...this.#state.polls, poll] : this.#state.polls.map((p) => (p.id === poll.id ? poll : p)) });
        if (isNew && poll.createdBy !== this.#state.self?.id) {
          const name = poll.createdByName || { key: 'polls.someone' as const };
          this.emit('notice', { kind: 'info', text: { key: 'polls.notice.created', params: { name, question: poll.question } } });
        }
      },
      chatMessage: ({ message }: NotificationData<'chatMessage'>) => {
        this.#update({ chat: mergeChat(this.#state.chat, [message]) });
        this.emit('chatMessage', message);
      },
      endpointMessage: ({ from, text }: NotificationData<'endpointMessage'>) => this.emit('endpointMessage', from, text),
      muted: ({ kind, by }: NotificationData<'muted'>) => void this.#mutedByOthers(kind, by),
      roomUpdated: ({ room }: NotificationData<'roomUpdated'>) => {
        const before = this.#state.room?.recordings;
        this.#update({ room });
        this.#announceRecordings(before, room.recordings);
        try {
          this.#applyE2ee();
        } catch (error) {
          this.#fail(error);
        }
      },
      e2eeMessage: ({ from, message }: NotificationData<'e2eeMessage'>) => this.#encryption.handle(from, message),
      recordingEnded: (ended: NotificationData<'recordingEnded'>) => {
        this.emit('recordingEnded', ended);
        this.emit('notice', recordingEndedNotice(ended, this.#nameOf(ended.by)));
      },
      recordingLink: ({ link, ttlSeconds }: NotificationData<'recordingLink'>) => {
        this.emit('recordingLink', link, ttlSeconds);
        const until = new Date(Date.now() + ttlSeconds * 1000).toLocaleString(language());
        this.emit('notice', { kind: 'info', text: { key: 'recording.notice.link', params: { time: until } }, link: { href: new URL(link, location.origin).href, label: { key: 'recording.download' } } });
      },
      p2pStatus: ({ active, peerId, initiator }: NotificationData<'p2pStatus'>) => {
        if (active && peerId) this.#engine.startP2P(peerId, initiator);
        else this.#engine.leaveP2P();
      },
      p2pSignal: ({ from, signal }: NotificationData<'p2pSignal'>) => this.#engine.handleP2PSignal(from, signal),
      lobbyUpdated: ({ knocking }: NotificationData<'lobbyUpdated'>) => {
        const newcomers = knocking.filter((k) => !this.#state.knocking.some((old) => old.id === k.id));
        this.#update({ knocking });
        for (const k of newcomers) this.emit('notice', { kind: 'info', text: { key: 'notices.knocking', params: { name: k.displayName || { key: 'notices.someone' } } } });
      },
      admitted: ({ meeting }: NotificationData<'admitted'>) => {
        this.#enter(meeting).catch((error: unknown) => {
          if (!this.#reconnecting) this.#fail(error);
        });
      },
      lobbyDenied: () => this.#fail(new ProtocolError(ErrorCode.LobbyDenied, 'A moderator declined your request to join this meeting.')),
      unmuteRequested: ({ by }: NotificationData<'unmuteRequested'>) => {
        const who = this.#state.participants.find((p) => p.id === by)?.displayName || { key: 'notices.aModerator' as const };
        this.emit('notice', { kind: 'info', text: { key: 'notices.unmuteRequested', params: { name: who } } });
      },
      mediaApproval: ({ kind, approved }: NotificationData<'mediaApproval'>) => {
        const key = kind === 'audio' ? (approved ? 'notices.micAllowed' : 'notices.micDisallowed') : approved ? 'notices.cameraAllowed' : 'notices.cameraDisallowed';
        this.emit('notice', { kind: 'info', text: { key } });
        this.emit('mediaApproval', kind, approved);
      },
      removed: ({ reason, by }: NotificationData<'removed'>) => {
        this.emit('notice', { kind: 'info', text: { key: reason === 'kicked' ? 'notices.kicked' : 'notices.ended' } });
        this.#end(reason, by);
      },
      videoForwarding: ({ paused }: NotificationData<'videoForwarding'>) => this.#engine.setForwarding(paused),
      senderLayers: ({ source, maxSpatialLayer }: NotificationData<'senderLayers'>) => this.#engine.setNeededLayer(source, maxSpatialLayer),
      newConsumer: (data: NotificationData<'newConsumer'>) => void this.#engine.consume(data),
      consumerClosed: ({ consumerId }: NotificationData<'consumerClosed'>) => this.#engine.dropConsumer(consumerId),
      dominantSpeaker: ({ participantId }: NotificationData<'dominantSpeaker'>) => this.#update({ dominantSpeakerId: participantId }),
      iceServersUpdated: ({ iceServers, p2pIceServers }: NotificationData<'iceServersUpdated'>) => this.#engine.applyIceServers(iceServers, p2pIceServers),
      protocolError: ({ code, message }: NotificationData<'protocolError'>) =>
        this.emit('notice', { kind: 'error', text: describeError(new ProtocolError(code, message)) }),
    };
  }

  /** Recordings that began since `before` (all of them on entering a room): an event and a notice each. */
  #announceRecordings(before: readonly RecordingInfo[] | undefined, after: readonly RecordingInfo[]): void {
    for (const recording of startedRecordings(before, after)) {
      this.emit('recordingStarted', recording);
      const name = recording.startedBy?.displayName || { key: 'notices.aModerator' as const };
      const file = recording.mode === 'file';
      // Coming in: that it is being recorded; inside: that someone just started.
      const key = before === undefined ? (file ? 'recording.indicator.file' : 'recording.indicator.stream') : file ? 'recording.notice.fileStarted' : 'recording.notice.streamStarted';
      // Coming in, it stays until dismissed: joining a recorded meeting is consenting to it, so it must be seen.
      this.emit('notice', { kind: 'info', text: { key, params: { name } }, ...(before === undefined ? { sticky: true } : {}) });
    }
  }

  /** Someone else records on their device, or stopped: people have a right to know. */
  #announceLocalRecording(participant: Participant): void {
    const key = participant.recordingLocally ? 'recording.notice.localOthersStarted' : 'recording.notice.localOthersStopped';
    this.emit('notice', { kind: 'info', text: { key, params: { name: participant.displayName || { key: 'notices.aGuest' } } } });
  }

  /** Someone's name for a notice, whoever they are (this person included); a moderator when unknown or the server. */
  #nameOf(id: string | null): Text {
    const person = id ? [this.#state.self, ...this.#state.participants].find((p) => p?.id === id) : undefined;
    return person?.displayName || { key: 'notices.aModerator' };
  }

  /** The server already stopped our track; bring local state in line and say who did it. */
  async #mutedByOthers(kind: 'audio' | 'video', by: string | null): Promise<void> {
    const who = (by ? this.#state.participants.find((p) => p.id === by)?.displayName : undefined) || { key: 'notices.aModerator' as const };
    this.emit('notice', { kind: 'info', text: { key: kind === 'audio' ? 'notices.micMutedBy' : 'notices.cameraMutedBy', params: { name: who } } });
    if (kind === 'audio') {
      this.#engine.setProducerPaused('mic', true);
      this.#update({ local: { ...this.#state.local, audioMuted: true } });
      return;
    }
    void this.#engine.stopSending('camera', false);
    this.#state.local.cameraTrack?.stop();
    this.#update({ local: { ...this.#state.local, videoMuted: true, cameraTrack: undefined } });
  }

  #upsertParticipant(participant: Participant): void {
    const existing = this.#state.participants.find((p) => p.id === participant.id);
    const next = { ...participant, tracks: existing?.tracks ?? {}, videoHeldBack: existing?.videoHeldBack ?? {}, sendsEncrypted: existing?.sendsEncrypted, e2eeCode: existing?.e2eeCode };
    this.#update({
      participants: existing
        ? this.#state.participants.map((p) => (p.id === participant.id ? next : p))
        : [...this.#state.participants, next],
    });
  }

  /** Our local track for a source, if we have one on. */
  #outgoing(source: MediaSource): MediaStreamTrack | null {
    if (source === 'mic') return this.#mic ?? null;
    return (source === 'camera' ? this.#state.local.cameraTrack : this.#state.local.screenTrack) ?? null;
  }

  /** Points every sender (the server's producers, the direct link) at our current tracks. */
  #syncSenders(): void {
    this.#engine.syncSenders();
  }

  // ── recovery ──────────────────────────────────────────────────────────────

  #onSignalClosed(code: number): void {
    if (this.#state.connection === 'left' || this.#state.connection === 'failed') return;
    if (code === CLOSE_SUPERSEDED) {
      this.#fail(new LocalizedError({ key: 'errors.sessionElsewhere' }));
      return;
    }
    // Refused at connect: the join under way fails with the reason, and whoever awaits it decides.
    if (code === CloseCode.Refused) return;
    void this.#reconnect();
  }

  /** Rebuilds the session after a lost connection, keeping our tracks running so nothing is asked again. */
  #reconnect(): Promise<void> {
    this.#reconnecting ??= (async () => {
      this.#closeSignal();
      this.#teardownMedia();
      this.#update({ connection: 'reconnecting', participants: this.#state.participants.map((p) => ({ ...p, tracks: {}, videoHeldBack: {} })) });
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        await sleep(RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]!);
        if (this.#state.connection === 'left') return;
        try {
          this.#closeSignal();
          this.#teardownMedia();
          await this.#connect();
          this.emit('notice', { kind: 'info', text: { key: 'notices.reconnected' } });
          return;
        } catch (error) {
          if (isFinal(error) || Date.now() - started > RECONNECT_GIVE_UP_MS) {
            this.#fail(error);
            return;
          }
        }
      }
    })().finally(() => (this.#reconnecting = undefined));
    return this.#reconnecting;
  }

  #teardownMedia(): void {
    this.#engine.stop();
    void this.#engine.setEncryption(undefined);
    this.#encryption.disable();
  }

  /**
   * Media encryption follows the room's switch (keys start over on each entry into a room).
   * A browser that cannot encrypt leaves an encrypted meeting (throws, saying why) rather
   * than stay in it seeing and hearing nothing.
   */
  #applyE2ee(): void {
    const { room, self, participants } = this.#state;
    if (room?.e2ee && !canEncryptMedia()) {
      void this.#signal?.request('leave', {}).catch(() => undefined);
      throw new LocalizedError({ key: 'errors.e2eeUnsupported' });
    }
    if (room?.e2ee && self) {
      void this.#engine.setEncryption(this.#encryption.enable(self.id, participants.map((p) => p.id)));
    } else {
      void this.#engine.setEncryption(undefined);
      this.#encryption.disable();
    }
  }

  /** Out of the meeting for good: by choice, kicked, or the meeting ended. */
  #end(reason: LeftReason, by: string | null = null): void {
    if (this.#state.connection === 'left') return;
    clearSession(this.#state.roomName);
    this.#closeSignal();
    this.#teardownMedia();
    this.#releaseDevices();
    this.#update({ connection: 'left', leftReason: reason });
    this.emit('left', reason, by);
  }

  #closeSignal(): void {
    this.#signal?.close();
    this.#signal = undefined;
  }

  #fail(error: unknown): void {
    this.#closeSignal();
    this.#teardownMedia();
    this.#releaseDevices();
    this.#update({ connection: 'failed', error: describeError(error) });
  }

  /** Stops our tracks so camera and microphone lights go out. */
  #releaseDevices(): void {
    this.#mic?.stop();
    this.#mic = undefined;
    this.#state.local.cameraTrack?.stop();
    this.#state.local.screenTrack?.stop();
    this.#update({ local: { ...this.#state.local, cameraTrack: undefined, screenTrack: undefined } });
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  #request<M extends Parameters<SignalClient['request']>[0]>(method: M, data: RequestData<M>) {
    if (!this.#signal) return Promise.reject(new LocalizedError({ key: 'errors.notConnected' }));
    return this.#signal.request(method, data);
  }

  /** Runs a device request; on failure tells the person why and returns undefined. */
  async #guard<T>(promise: Promise<T>): Promise<T | undefined> {
    try {
      return await promise;
    } catch (error) {
      this.emit('notice', { kind: 'error', text: describeError(error) });
      if (error instanceof MediaAccessError && error.device !== 'screen') this.emit('deviceError', error);
      return undefined;
    }
  }

  #update(patch: Partial<ConferenceState>): void {
    this.#state = { ...this.#state, ...patch };
    this.emit('change', this.#state);
  }
}

/** What everyone is told when a recording or live stream ends, with the reason when it failed. */
function recordingEndedNotice({ mode, reason, error }: NotificationData<'recordingEnded'>, by: Text): Notice {
  const file = mode === 'file';
  if (reason === 'failed') return { kind: 'error', text: { key: file ? 'recording.notice.fileFailed' : 'recording.notice.streamFailed', params: { error: error ?? '' } } };
  if (reason === 'meetingEnded') return { kind: 'info', text: { key: file ? 'recording.notice.fileEnded' : 'recording.notice.streamEnded' } };
  return { kind: 'info', text: { key: file ? 'recording.notice.fileStopped' : 'recording.notice.streamStopped', params: { name: by } } };
}

/** Join errors the person can fix by typing something (or by logging in elsewhere). */
function promptFor(error: unknown, tried: CredentialPrompt['kind'] | undefined): CredentialPrompt | 'redirect' | undefined {
  if (!(error instanceof ProtocolError)) return undefined;
  switch (error.code) {
    case ErrorCode.AuthenticationRequired:
      return error.loginUrl ? 'redirect' : { kind: 'login', error: undefined };
    case ErrorCode.AuthenticationFailed:
      return { kind: 'login', error: describeError(error) };
    case ErrorCode.PasswordRequired:
      return { kind: 'password', error: undefined };
    case ErrorCode.PasswordIncorrect:
      return { kind: 'password', error: describeError(error) };
    case ErrorCode.RateLimited:
      // After failed logins or room passwords, say so where they were typed; otherwise it is this network's joins (#attempt fails).
      return tried ? { kind: tried, error: describeError(error) } : undefined;
    default:
      return undefined;
  }
}

/** The external login page, told which room to come back to (Jitsi's TOKEN_AUTH_URL convention: {room}). */
function loginRedirect(loginUrl: string): string {
  const room = encodeURIComponent(location.pathname.split('/').filter(Boolean)[0] ?? '');
  return loginUrl.includes('{room}') ? loginUrl.replaceAll('{room}', room) : loginUrl;
}

/** Errors after which retrying cannot help. Per-address limits pass within a minute, which the reconnect loop's pace outlasts. */
const PASSING_ERRORS: ReadonlySet<ErrorCode> = new Set([ErrorCode.Internal, ErrorCode.ShuttingDown, ErrorCode.RateLimited, ErrorCode.TooManyConnections]);

function isFinal(error: unknown): boolean {
  return error instanceof ProtocolError && !PASSING_ERRORS.has(error.code);
}

/** Appends messages not seen yet (a reconnect replays the group history). */
function mergeChat(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const seen = new Set(current.map((m) => m.id));
  const fresh = incoming.filter((m) => !seen.has(m.id));
  return fresh.length === 0 ? current : [...current, ...fresh];
}

function deviceIdOf(track: MediaStreamTrack): string | undefined {
  return track.getSettings().deviceId;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
