import {
  API_ID_PARAM,
  HOST_ORIGIN_PARAM,
  REQUESTS,
  SUPPORTED_COMMANDS,
  SUPPORTED_EVENTS,
  WIRE,
  isFrameMessage,
  type HostMessage,
  type RequestName,
} from './wire.js';
import { e2eeKeyBytes } from './e2ee-key.js';

/** The options of Jitsi's `new JitsiMeetExternalAPI(domain, options)`. */
export interface ExternalApiOptions {
  roomName?: string;
  width?: number | string;
  height?: number | string;
  parentNode?: Element;
  configOverwrite?: Record<string, unknown>;
  interfaceConfigOverwrite?: Record<string, unknown>;
  jwt?: string;
  lang?: string;
  onload?: () => void;
  invitees?: unknown[];
  devices?: { audioInput?: string; audioOutput?: string; videoInput?: string };
  userInfo?: { displayName?: string; email?: string };
  /** A shared media key: in hex (as Jitsi takes it), or a passphrase. Everyone given the same one decrypts each other. */
  e2eeKey?: string;
  sandbox?: string;
  /** Jitsi's switch for a server on plain HTTP (without it, the scheme this script was loaded with). */
  noSSL?: boolean;
}

/** Jitsi's startRecording options (its Dropbox and transcription ones do not apply here). */
export interface RecordingOptions {
  mode: 'file' | 'stream' | 'local';
  /** An rtmp:// or rtmps:// address with the key, or a bare YouTube stream key. */
  rtmpStreamKey?: string;
  rtmpBroadcastID?: string;
  youtubeStreamKey?: string;
  youtubeBroadcastID?: string;
  /** Kept with the recording (its metadata.json). */
  extraMetadata?: Record<string, unknown>;
}

export interface ParticipantInfo {
  participantId: string;
  displayName: string;
  formattedDisplayName: string;
}

type Listener = (data: any) => void;

const REQUEST_TIMEOUT_MS = 10_000;
const IFRAME_ALLOW = 'autoplay; camera; clipboard-write; display-capture; fullscreen; microphone; screen-wake-lock; speaker-selection';

let nextApiId = 0;

/** The scheme of the server this script was loaded from, so a plain-HTTP test server embeds over HTTP. */
const SCRIPT_PROTOCOL = (() => {
  const src = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null)?.src : undefined;
  return src?.startsWith('http:') ? 'http:' : 'https:';
})();

/**
 * Embeds a Tertulia meeting in an iframe, with Jitsi Meet's iframe API: a page
 * written for Jitsi's `JitsiMeetExternalAPI` works when its script tag points at
 * a Tertulia server. Messages are bound to the iframe's window and origin.
 */
export class JitsiMeetExternalAPI {
  readonly #apiId = nextApiId++;
  readonly #frame: HTMLIFrameElement;
  readonly #origin: string;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  readonly #participants = new Map<string, string>();
  /** Pictures and emails by participant id, as avatarChanged/emailChange told them (Jitsi answers getAvatarURL/getEmail locally too). */
  readonly #profiles = new Map<string, { avatarURL?: string; email?: string }>();
  readonly #userEmail: string | undefined;
  #selfId: string | undefined;
  /** The video quality (a height) as videoQualityChanged last told it. */
  #videoQuality: number | undefined;
  #nextRequestId = 1;
  #ready = false;
  #queue: HostMessage[] = [];
  #disposed = false;

  constructor(domain: string, options: ExternalApiOptions = {}) {
    const url = buildUrl(domain, options, this.#apiId);
    this.#origin = url.origin;
    this.#userEmail = options.userInfo?.email;
    this.#frame = document.createElement('iframe');
    this.#frame.src = url.href;
    this.#frame.name = this.#frame.id = `jitsiConferenceFrame${this.#apiId}`;
    this.#frame.allow = IFRAME_ALLOW;
    this.#frame.setAttribute('allowfullscreen', 'true');
    this.#frame.style.border = '0';
    this.#frame.style.width = cssSize(options.width ?? '100%');
    this.#frame.style.height = cssSize(options.height ?? '100%');
    if (options.sandbox) this.#frame.setAttribute('sandbox', options.sandbox);
    if (options.onload) this.once('ready', options.onload);
    window.addEventListener('message', this.#onMessage);
    (options.parentNode ?? document.body).appendChild(this.#frame);

    const unsupported = [options.invitees?.length && 'invitees'].filter(Boolean);
    if (unsupported.length > 0) {
      this.once('ready', () => this.#error('UnsupportedOption', `Tertulia does not support: ${unsupported.join(', ')}.`));
    }
    // Sent before the meeting starts sending (commands wait for 'ready'), so no frame goes out under another key.
    if (options.e2eeKey !== undefined) {
      e2eeKeyBytes(options.e2eeKey).then(
        (key) => this.executeCommand('setMediaEncryptionKey', JSON.stringify({ exportedKey: Array.from(key), index: 0 })),
        (error: unknown) => this.once('ready', () => this.#error('E2EEKeyFailed', error instanceof Error ? error.message : String(error))),
      );
    }
  }

  // ── commands ──────────────────────────────────────────────────────────────

  executeCommand(name: string, ...args: unknown[]): void {
    if (!(SUPPORTED_COMMANDS as readonly string[]).includes(name)) {
      this.#error('UnsupportedCommand', `The command "${name}" is not supported by this server.`);
      return;
    }
    this.#post({ wire: WIRE, apiId: this.#apiId, kind: 'command', name, args });
  }

  executeCommands(commands: Record<string, unknown>): void {
    for (const [name, args] of Object.entries(commands)) {
      this.executeCommand(name, ...(Array.isArray(args) ? args : [args]));
    }
  }

  /** Jitsi's shorthands for the commands of the same names. */
  pinParticipant(participantId?: string, videoType?: 'camera' | 'desktop'): void {
    this.executeCommand('pinParticipant', participantId, videoType);
  }

  setLargeVideoParticipant(participantId?: string, videoType?: 'camera' | 'desktop'): void {
    this.executeCommand('setLargeVideoParticipant', participantId, videoType);
  }

  /** Jitsi's shorthand for the command of the same name (its size in pixels). */
  resizeLargeVideo(width: number, height: number): void {
    this.executeCommand('resizeLargeVideo', width, height);
  }

  /**
   * Jitsi's shorthand for the command: records the meeting on the server (`mode: 'file'`),
   * streams it live (`'stream'`, with `rtmpStreamKey` or `youtubeStreamKey`) or records it
   * in this browser (`'local'`). Moderators only for the first two; the outcome arrives as
   * recordingStatusChanged.
   */
  startRecording(options: RecordingOptions): void {
    this.executeCommand('startRecording', options);
  }

  stopRecording(mode: RecordingOptions['mode']): void {
    this.executeCommand('stopRecording', mode);
  }

  /** Turns end-to-end encryption on or off for the whole meeting (moderators; others get errorOccurred). */
  toggleE2EE(enabled: boolean): void {
    this.executeCommand('toggleE2EE', enabled);
  }

  /**
   * Jitsi's externally managed key: `key` an extractable WebCrypto AES key, sent to the meeting
   * as its raw bytes, under `index` (0…15; a new index for a new key lets frames under the old
   * one still decrypt). Everyone given the same key sends and decrypts under it.
   */
  async setMediaEncryptionKey({ key, index }: { key: CryptoKey; index: number }): Promise<void> {
    const exportedKey = Array.from(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
    this.executeCommand('setMediaEncryptionKey', JSON.stringify({ exportedKey, index }));
  }

  getSupportedCommands(): string[] {
    return [...SUPPORTED_COMMANDS];
  }

  getSupportedEvents(): string[] {
    return [...SUPPORTED_EVENTS];
  }

  // ── state the host keeps from events (as Jitsi does) ───────────────────────

  getParticipantsInfo(): ParticipantInfo[] {
    return [...this.#participants].map(([participantId, displayName]) => ({
      participantId,
      displayName,
      formattedDisplayName: participantId === this.#selfId ? `${displayName} (me)` : displayName,
    }));
  }

  getNumberOfParticipants(): number {
    return this.#participants.size;
  }

  getAvatarURL(participantId: string): string | undefined {
    return this.#profiles.get(participantId)?.avatarURL;
  }

  getEmail(participantId: string): string | undefined {
    return this.#profiles.get(participantId)?.email;
  }

  getDisplayName(participantId: string): string | undefined {
    return this.#participants.get(participantId);
  }

  /** The video quality setting (a height: 180, 360 or 720), as Jitsi answers it: from the last videoQualityChanged. */
  getVideoQuality(): number | undefined {
    return this.#videoQuality;
  }

  getIFrame(): HTMLIFrameElement {
    return this.#frame;
  }

  // ── requests answered by the meeting ──────────────────────────────────────

  isAudioMuted(): Promise<boolean> {
    return this.#request('isAudioMuted') as Promise<boolean>;
  }

  isVideoMuted(): Promise<boolean> {
    return this.#request('isVideoMuted') as Promise<boolean>;
  }

  isSharingScreen(): Promise<boolean> {
    return this.#request('isSharingScreen') as Promise<boolean>;
  }

  isParticipantsPaneOpen(): Promise<boolean> {
    return this.#request('isParticipantsPaneOpen') as Promise<boolean>;
  }

  /** Whether audio (or video) moderation is on: unmuting then needs a moderator's approval. */
  isModerationOn(mediaType: 'audio' | 'video' = 'audio'): Promise<boolean> {
    return this.#request('isModerationOn', mediaType) as Promise<boolean>;
  }

  /** Whether moderation keeps this participant muted (moderation on, not a moderator, not approved). */
  isParticipantForceMuted(participantId: string, mediaType: 'audio' | 'video' = 'audio'): Promise<boolean> {
    return this.#request('isParticipantForceMuted', participantId, mediaType) as Promise<boolean>;
  }

  /** The large (stage) video as `{ dataURL }`, a PNG data URL drawn from its current frame. */
  captureLargeVideoScreenshot(): Promise<{ dataURL: string }> {
    return this.#request('captureLargeVideoScreenshot') as Promise<{ dataURL: string }>;
  }

  /** A picture from the local camera as `{ dataURL }` (Jitsi's arguments for its mobile dialog are not needed here). */
  captureCameraPicture(): Promise<{ dataURL: string }> {
    return this.#request('captureCameraPicture') as Promise<{ dataURL: string }>;
  }

  /** This meeting's id: the same for everyone in it, different for the next meeting in the same room. */
  getSessionId(): Promise<string | undefined> {
    return this.#request('getSessionId') as Promise<string | undefined>;
  }

  getAvailableDevices(): Promise<unknown> {
    return this.#request('getAvailableDevices');
  }

  getCurrentDevices(): Promise<unknown> {
    return this.#request('getCurrentDevices');
  }

  getRoomsInfo(): Promise<unknown> {
    return this.#request('getRoomsInfo');
  }

  listBreakoutRooms(): Promise<unknown> {
    return this.#request('listBreakoutRooms');
  }

  setAudioInputDevice(label: string, deviceId?: string): Promise<unknown> {
    return this.#request('setAudioInputDevice', label, deviceId);
  }

  setVideoInputDevice(label: string, deviceId?: string): Promise<unknown> {
    return this.#request('setVideoInputDevice', label, deviceId);
  }

  /** The speaker the meeting's sound plays on (where the browser can choose one). */
  setAudioOutputDevice(label: string, deviceId?: string): Promise<unknown> {
    return this.#request('setAudioOutputDevice', label, deviceId);
  }

  /** Whether the browser has a microphone (camera) at all. */
  isAudioAvailable(): Promise<boolean> {
    return this.#request('isAudioAvailable') as Promise<boolean>;
  }

  /** Whether the microphone cannot be used (none, or a `startSilent` meeting). */
  isAudioDisabled(): Promise<boolean> {
    return this.#request('isAudioDisabled') as Promise<boolean>;
  }

  /** Whether remote sound plays muted (`startSilent`). */
  isStartSilent(): Promise<boolean> {
    return this.#request('isStartSilent') as Promise<boolean>;
  }

  /** Jitsi's deviceType: 'input' or 'output' (a speaker can be chosen only where the browser allows it). */
  isDeviceChangeAvailable(deviceType?: 'input' | 'output'): Promise<boolean> {
    return this.#request('isDeviceChangeAvailable', deviceType) as Promise<boolean>;
  }

  /** @deprecated in Jitsi too: devices can always be listed. */
  isDeviceListAvailable(): Promise<boolean> {
    return Promise.resolve(true);
  }

  isMultipleAudioInputSupported(): Promise<boolean> {
    return this.#request('isMultipleAudioInputSupported') as Promise<boolean>;
  }

  isVideoAvailable(): Promise<boolean> {
    return this.#request('isVideoAvailable') as Promise<boolean>;
  }

  /** Jitsi's shape: `{ sharingParticipantIds }`, everyone sharing a screen now. */
  getContentSharingParticipants(): Promise<{ sharingParticipantIds: string[] }> {
    return this.#request('getContentSharingParticipants') as Promise<{ sharingParticipantIds: string[] }>;
  }

  /** Whether media flows directly between the two participants instead of through the server. */
  isP2pActive(): Promise<boolean> {
    return this.#request('isP2pActive') as Promise<boolean>;
  }

  /** This browser's media path and what it receives (README, iframe API). */
  getConnectionStats(): Promise<unknown> {
    return this.#request('getConnectionStats');
  }

  /** Removes the iframe and forgets every listener. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    window.removeEventListener('message', this.#onMessage);
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new Error('The API was disposed.'));
    }
    this.#pending.clear();
    this.#listeners.clear();
    this.#frame.remove();
  }

  // ── events (EventEmitter style, plus Jitsi's deprecated aliases) ───────────

  on(event: string, listener: Listener): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper: Listener = (data) => {
      this.off(event, wrapper);
      listener(data);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  /** @deprecated Jitsi's old name for `on`. */
  addEventListener(event: string, listener: Listener): void {
    this.on(event, listener);
  }

  /** @deprecated Jitsi's old way to add several listeners. */
  addEventListeners(listeners: Record<string, Listener>): void {
    for (const [event, listener] of Object.entries(listeners)) this.on(event, listener);
  }

  /** @deprecated Jitsi's old name: removes every listener of `event`. */
  removeEventListener(event: string): void {
    this.removeAllListeners(event);
  }

  /** @deprecated */
  removeEventListeners(events: string[]): void {
    for (const event of events) this.removeAllListeners(event);
  }

  // ── transport ─────────────────────────────────────────────────────────────

  #onMessage = (event: MessageEvent): void => {
    if (event.source !== this.#frame.contentWindow || event.origin !== this.#origin) return;
    const message: unknown = event.data;
    if (!isFrameMessage(message, this.#apiId)) return;
    if (message.kind === 'response') {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
      return;
    }
    this.#track(message.name, message.data);
    this.#trackProfile(message.name, message.data);
    if (message.name === 'videoQualityChanged' && typeof message.data['videoQuality'] === 'number') this.#videoQuality = message.data['videoQuality'];
    if (message.name === 'ready') {
      this.#ready = true;
      for (const queued of this.#queue) this.#post(queued);
      this.#queue = [];
    }
    this.#emit(message.name, message.data);
  };

  /** Keeps the participant list that getParticipantsInfo() answers from. */
  #track(name: string, data: Record<string, unknown>): void {
    const id = typeof data['id'] === 'string' ? data['id'] : undefined;
    const displayName = typeof data['displayName'] === 'string' ? data['displayName'] : '';
    if (name === 'videoConferenceJoined' && id) {
      this.#selfId = id;
      this.#participants.set(id, displayName);
    } else if (name === 'participantJoined' && id) {
      this.#participants.set(id, displayName);
    } else if (name === 'participantLeft' && id) {
      this.#participants.delete(id);
    } else if (name === 'displayNameChange' && id && typeof data['displayname'] === 'string') {
      this.#participants.set(id, data['displayname']);
    } else if (name === 'videoConferenceLeft') {
      this.#participants.clear();
    }
  }

  /** Keeps what getAvatarURL() and getEmail() answer from; this person's email starts as userInfo's. */
  #trackProfile(name: string, data: Record<string, unknown>): void {
    const id = typeof data['id'] === 'string' ? data['id'] : undefined;
    if (name === 'videoConferenceLeft') this.#profiles.clear();
    if (!id) return;
    if (name === 'participantLeft') {
      this.#profiles.delete(id);
      return;
    }
    const profile = { ...this.#profiles.get(id) };
    if (name === 'videoConferenceJoined' && this.#userEmail !== undefined) profile.email ??= this.#userEmail;
    if (name === 'avatarChanged' && typeof data['avatarURL'] === 'string') profile.avatarURL = data['avatarURL'];
    if (name === 'emailChange' && typeof data['email'] === 'string') profile.email = data['email'];
    if (profile.avatarURL !== undefined || profile.email !== undefined) this.#profiles.set(id, profile);
  }

  #request(name: RequestName, ...args: unknown[]): Promise<unknown> {
    if (!(REQUESTS as readonly string[]).includes(name)) return Promise.reject(new Error(`Unknown request ${name}`));
    const id = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`The meeting did not answer "${name}" in time.`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#post({ wire: WIRE, apiId: this.#apiId, kind: 'request', id, name, args });
    });
  }

  /** Messages wait for the meeting's `ready` so early commands are not lost. */
  #post(message: HostMessage): void {
    if (this.#disposed) return;
    if (!this.#ready) {
      this.#queue.push(message);
      return;
    }
    this.#frame.contentWindow?.postMessage(message, this.#origin);
  }

  #error(name: string, message: string): void {
    queueMicrotask(() => this.#emit('errorOccurred', { error: { name, message, type: 'CONFIG', isFatal: false } }));
  }

  #emit(event: string, data: unknown): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(data);
      } catch (error) {
        // A throwing listener of the host page must not stop the others.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

function buildUrl(domain: string, options: ExternalApiOptions, apiId: number): URL {
  const base = /^https?:\/\//.test(domain) ? domain : `${options.noSSL ? 'http:' : SCRIPT_PROTOCOL}//${domain}`;
  const url = new URL(`${base.replace(/\/$/, '')}/${encodeURIComponent(options.roomName ?? '')}`);
  if (options.jwt) url.searchParams.set('jwt', options.jwt);
  const hash = new URLSearchParams();
  hash.set(API_ID_PARAM, String(apiId));
  hash.set(HOST_ORIGIN_PARAM, JSON.stringify(window.location.origin));
  const add = (prefix: string, values: Record<string, unknown> | undefined) => {
    for (const [key, value] of Object.entries(values ?? {})) hash.set(`${prefix}.${key}`, JSON.stringify(value));
  };
  add('config', options.configOverwrite);
  add('interfaceConfig', options.interfaceConfigOverwrite);
  add('userInfo', options.userInfo);
  add('devices', options.devices);
  if (options.lang) hash.set('lang', JSON.stringify(options.lang));
  url.hash = hash.toString();
  return url;
}

function cssSize(value: number | string): string {
  return typeof value === 'number' ? `${value}px` : value;
}
