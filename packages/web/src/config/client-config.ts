/**
 * The client's settings and the one whitelist through which anything outside the
 * app may change them: the URL hash today (Jitsi's `#config.x=…&userInfo.y=…`),
 * the iframe API's configOverwrite later. Only presentation and defaults are
 * listed; nothing here can weaken security, because the server decides that.
 */

import { AvatarUrl, Limits } from '@tertulia/protocol';
import { languageOf, type Language } from '../i18n/languages.js';

export interface ClientConfig {
  prejoinEnabled: boolean;
  startWithAudioMuted: boolean;
  startWithVideoMuted: boolean;
  displayName: string | undefined;
  email: string | undefined;
  subject: string | undefined;
  /** Preferred device labels (the iframe API's `devices` option). */
  micLabel: string | undefined;
  cameraLabel: string | undefined;
  /**
   * 'relay' sends all media through the TURN server: the other side never learns this
   * browser's addresses (privacy), and tests can prove the relay path. Only makes the
   * connection stricter, so it may come from outside.
   */
  iceTransportPolicy: 'all' | 'relay';
  /** The interface language an integrator asked for; undefined leaves it to the person and the browser. */
  language: Language | undefined;
  /** Jitsi's `buttonsWithNotifyClick` / `participantMenuButtonsWithNotifyClick`: button key → whether its own action is held back. */
  buttonsWithNotifyClick: ReadonlyMap<string, boolean>;
  participantMenuButtonsWithNotifyClick: ReadonlyMap<string, boolean>;
  /** Jitsi's button names the toolbar shows (`toolbarButtons`); undefined: all. */
  toolbarButtons: readonly ToolbarButtonName[] | undefined;
  /** Jitsi's prejoin buttons left out (`hiddenPremeetingButtons`: microphone, camera). */
  hiddenPremeetingButtons: readonly string[];
  /** The display name cannot be changed here (prejoin field, iframe `displayName` command). */
  readOnlyName: boolean;
  /** What tiles say for someone without a name: yourself, and others. */
  defaultLocalDisplayName: string | undefined;
  defaultRemoteDisplayName: string | undefined;
  hideConferenceSubject: boolean;
  hideConferenceTimer: boolean;
  disableModeratorIndicator: boolean;
  disableReactions: boolean;
  disablePolls: boolean;
  disableTileView: boolean;
  /** Remote audio plays muted (Jitsi's `startSilent`). */
  startSilent: boolean;
  /** A name is required before joining (the prejoin's join button waits for one). */
  requireDisplayName: boolean;
  /** The avatar picture (`userInfo.avatarURL`, iframe `avatarUrl`): an https or data:image URL. */
  avatarUrl: string | undefined;
  /** Jitsi's notification names that may show (`notifications`); undefined: all. Errors always show. */
  notifications: readonly string[] | undefined;
  /** No "joined"/"left" notices (interfaceConfig `DISABLE_JOIN_LEAVE_NOTIFICATIONS`). */
  disableJoinLeaveNotifications: boolean;
  /** Your own tile is left out (`disableSelfView`). */
  disableSelfView: boolean;
  /** Stage view starts without its filmstrip (`filmstrip.disabled`). */
  filmstripDisabled: boolean;
  /** The moderation panel has no lobby switch (`securityUi.hideLobbyButton`); the lobby stays as moderators set it. */
  hideLobbyButton: boolean;
  /** The breakout panel has no "add room" button (`breakoutRooms.hideAddRoomButton`). */
  hideAddBreakoutRoomButton: boolean;
  /** The participants pane and its button (`participantsPane.enabled`). */
  participantsPaneEnabled: boolean;
  /** Most remote videos received at once (`channelLastN`; -1: all). The server's CHANNEL_LAST_N may lower it. */
  channelLastN: number;
  /** Jitsi's `startLastN`: the last-N to start with, until the person picks a video quality (then `channelLastN`). */
  startLastN: number | undefined;
  /** Join in audio-only mode: no video received or sent (`startAudioOnly`). */
  startAudioOnly: boolean;
  /** No recording on this device (Jitsi's `localRecording.disable`). */
  localRecordingDisabled: boolean;
  /**
   * Recording on this device is shown to everyone (Jitsi's `localRecording.notifyAllParticipants`).
   * On by default here, unlike Jitsi: people have a right to know they are recorded.
   */
  localRecordingNotifyAll: boolean;
  /**
   * End-to-end encryption uses only the keys the application gives (Jitsi's
   * `e2ee.externallyManagedKey`): never exchanged ones, and nothing is sent until a key arrives.
   */
  e2eeExternallyManagedKey: boolean;
}

/**
 * Jitsi's toolbar button names Tertulia has a button for (`ui/toolbar-buttons.ts`
 * says which is which).
 */
export const TOOLBAR_BUTTONS = [
  'microphone',
  'camera',
  'desktop',
  'raisehand',
  'reactions',
  'chat',
  'stats',
  'participants-pane',
  'tileview',
  'security',
  'recording',
  'settings',
  'hangup',
] as const;
export type ToolbarButtonName = (typeof TOOLBAR_BUTTONS)[number];

export const DEFAULT_CONFIG: ClientConfig = {
  prejoinEnabled: true,
  startWithAudioMuted: false,
  startWithVideoMuted: false,
  displayName: undefined,
  email: undefined,
  subject: undefined,
  micLabel: undefined,
  cameraLabel: undefined,
  iceTransportPolicy: 'all',
  language: undefined,
  buttonsWithNotifyClick: new Map(),
  participantMenuButtonsWithNotifyClick: new Map(),
  toolbarButtons: undefined,
  hiddenPremeetingButtons: [],
  readOnlyName: false,
  defaultLocalDisplayName: undefined,
  defaultRemoteDisplayName: undefined,
  hideConferenceSubject: false,
  hideConferenceTimer: false,
  disableModeratorIndicator: false,
  disableReactions: false,
  disablePolls: false,
  disableTileView: false,
  startSilent: false,
  requireDisplayName: false,
  avatarUrl: undefined,
  notifications: undefined,
  disableJoinLeaveNotifications: false,
  disableSelfView: false,
  filmstripDisabled: false,
  hideLobbyButton: false,
  hideAddBreakoutRoomButton: false,
  participantsPaneEnabled: true,
  channelLastN: -1,
  startLastN: undefined,
  startAudioOnly: false,
  localRecordingDisabled: false,
  e2eeExternallyManagedKey: false,
  localRecordingNotifyAll: true,
};

/** Whether the toolbar shows a button, by Jitsi's name. */
export function showsButton(config: ClientConfig, name: ToolbarButtonName): boolean {
  return config.toolbarButtons === undefined || config.toolbarButtons.includes(name);
}

type Setter = (config: ClientConfig, value: unknown) => void;

const boolean = (apply: (config: ClientConfig, value: boolean) => void): Setter => (config, value) => {
  if (typeof value === 'boolean') apply(config, value);
};
const text = (apply: (config: ClientConfig, value: string) => void, max = 256): Setter => (config, value) => {
  if (typeof value === 'string' && value.length <= max) apply(config, value);
};

/**
 * A list of Jitsi's names. With `known`, names Tertulia has no use for (`invite`,
 * `fullscreen`, …) are dropped; any value that is not a list of short strings leaves
 * the setting as it was.
 */
const names = <T extends string>(known: readonly T[] | null, apply: (config: ClientConfig, value: T[]) => void): Setter => (config, value) => {
  if (!Array.isArray(value) || value.length > 128 || !value.every((v) => typeof v === 'string' && v.length <= 128)) return;
  apply(config, value.filter((v): v is T => known === null || (known as readonly string[]).includes(v)));
};

/** A picture URL the CSP lets the page load (img-src https: data:); anything else keeps initials. */
export function avatarUrlOf(value: unknown): string | undefined {
  const parsed = AvatarUrl.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const toolbarButtons = names(TOOLBAR_BUTTONS, (c, v) => (c.toolbarButtons = v));
/** A Jitsi setting for something Tertulia already always does (or never has): taken, changing nothing. */
const alreadySo = boolean(() => undefined);
const avatar: Setter = (c, v) => (c.avatarUrl = avatarUrlOf(v) ?? c.avatarUrl);

/** Jitsi's list of button keys, or `{ key, preventExecution }` objects (a bare key is held back); other entries are skipped. */
const notifyClicks = (apply: (config: ClientConfig, value: ReadonlyMap<string, boolean>) => void): Setter => (config, value) => {
  if (!Array.isArray(value)) return;
  const clicks = new Map<string, boolean>();
  for (const entry of value.slice(0, 64)) {
    if (typeof entry === 'string') clicks.set(entry, true);
    else if (typeof entry === 'object' && entry !== null && typeof entry.key === 'string') clicks.set(entry.key, entry.preventExecution === true);
  }
  apply(config, clicks);
};

/** A last-N: a whole number of videos, or -1 for all. */
const lastN = (apply: (config: ClientConfig, value: number) => void): Setter => (config, value) => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -1 && value <= Limits.maxReceiverConstraints) apply(config, value);
};

/** A language tag ("it", "es-AR", Jitsi's "esUS"); one the interface does not have is ignored. */
const language = text((c, v) => (c.language = languageOf(v) ?? c.language), 16);

/** Accepted keys, with Jitsi's names, and how each maps onto ClientConfig. */
const OVERRIDABLE: Record<string, Setter> = {
  'config.prejoinConfig.enabled': boolean((c, v) => (c.prejoinEnabled = v)),
  'config.prejoinPageEnabled': boolean((c, v) => (c.prejoinEnabled = v)),
  'config.startWithAudioMuted': boolean((c, v) => (c.startWithAudioMuted = v)),
  'config.startWithVideoMuted': boolean((c, v) => (c.startWithVideoMuted = v)),
  'config.subject': text((c, v) => (c.subject = v)),
  'userInfo.displayName': text((c, v) => (c.displayName = v), 64),
  'userInfo.email': text((c, v) => (c.email = v)),
  'devices.audioInput': text((c, v) => (c.micLabel = v)),
  'devices.videoInput': text((c, v) => (c.cameraLabel = v)),
  'config.iceTransportPolicy': (c, v) => {
    if (v === 'all' || v === 'relay') c.iceTransportPolicy = v;
  },
  // Jitsi's two ways: the iframe API's `lang` option arrives as `lang`; pages link with `config.defaultLanguage`.
  lang: language,
  'config.buttonsWithNotifyClick': notifyClicks((c, v) => (c.buttonsWithNotifyClick = v)),
  'config.participantMenuButtonsWithNotifyClick': notifyClicks((c, v) => (c.participantMenuButtonsWithNotifyClick = v)),
  'config.defaultLanguage': language,
  // Jitsi moved these from interfaceConfig to config; both spellings still work there.
  'config.toolbarButtons': toolbarButtons,
  'interfaceConfig.TOOLBAR_BUTTONS': toolbarButtons,
  'config.hiddenPremeetingButtons': names(['microphone', 'camera'], (c, v) => (c.hiddenPremeetingButtons = v)),
  // Accepted so Jitsi pages need no change: Tertulia never sends people to a mobile app,
  // plays no join/leave sounds, never hides its toolbar, knocks at once on reaching the
  // lobby and always shows its own page after leaving.
  'config.disableDeepLinking': alreadySo,
  'config.disableJoinLeaveSounds': alreadySo,
  'config.toolbarConfig.alwaysVisible': alreadySo,
  'config.lobby.autoKnock': alreadySo,
  'config.enableClosePage': alreadySo,
  'config.notifications': names(null, (c, v) => (c.notifications = v)),
  'interfaceConfig.DISABLE_JOIN_LEAVE_NOTIFICATIONS': boolean((c, v) => (c.disableJoinLeaveNotifications = v)),
  'config.disableSelfView': boolean((c, v) => (c.disableSelfView = v)),
  'config.filmstrip.disabled': boolean((c, v) => (c.filmstripDisabled = v)),
  'config.securityUi.hideLobbyButton': boolean((c, v) => (c.hideLobbyButton = v)),
  'config.breakoutRooms.hideAddRoomButton': boolean((c, v) => (c.hideAddBreakoutRoomButton = v)),
  'config.participantsPane.enabled': boolean((c, v) => (c.participantsPaneEnabled = v)),
  'config.readOnlyName': boolean((c, v) => (c.readOnlyName = v)),
  'config.defaultLocalDisplayName': text((c, v) => (c.defaultLocalDisplayName = v), 64),
  'config.defaultRemoteDisplayName': text((c, v) => (c.defaultRemoteDisplayName = v), 64),
  'config.hideConferenceSubject': boolean((c, v) => (c.hideConferenceSubject = v)),
  'config.hideConferenceTimer': boolean((c, v) => (c.hideConferenceTimer = v)),
  'config.disableModeratorIndicator': boolean((c, v) => (c.disableModeratorIndicator = v)),
  'config.disableReactions': boolean((c, v) => (c.disableReactions = v)),
  'config.disablePolls': boolean((c, v) => (c.disablePolls = v)),
  'config.disableTileView': boolean((c, v) => (c.disableTileView = v)),
  'config.startSilent': boolean((c, v) => (c.startSilent = v)),
  'config.requireDisplayName': boolean((c, v) => (c.requireDisplayName = v)),
  'userInfo.avatarURL': avatar,
  'config.channelLastN': lastN((c, v) => (c.channelLastN = v)),
  'config.startLastN': lastN((c, v) => (c.startLastN = v)),
  'config.startAudioOnly': boolean((c, v) => (c.startAudioOnly = v)),
  'config.localRecording.disable': boolean((c, v) => (c.localRecordingDisabled = v)),
  'config.localRecording.notifyAllParticipants': boolean((c, v) => (c.localRecordingNotifyAll = v)),
  'config.e2ee.externallyManagedKey': boolean((c, v) => (c.e2eeExternallyManagedKey = v)),
};

/**
 * Jitsi keys an embedder might send that would weaken a meeting's protection. They
 * are never read from the page: the lobby, passwords, moderation and who is a
 * moderator are the server's and its moderators' decisions (README, Embedding).
 */
export const SERVER_ONLY_KEYS: Readonly<Record<string, string>> = {
  'config.lobby.enabled': 'the lobby is turned on and off by a moderator, on the server',
  'config.enableLobbyChat': 'who may talk to people in the lobby is the server’s rule',
  'config.securityUi.disableLobbyPassword': 'room passwords are set by moderators, on the server',
  'config.disableRemoteMute': 'what moderators may do is the server’s rule',
  'config.remoteVideoMenu.disableKick': 'what moderators may do is the server’s rule',
  'config.remoteVideoMenu.disableGrantModerator': 'what moderators may do is the server’s rule',
  'config.enableUserRolesBasedOnToken': 'roles come from the server’s auth settings',
  'config.hosts.domain': 'the server address is the page’s own',
  'config.websocket': 'the signalling address is the page’s own',
};

/** Every key the whitelist accepts, for the README's coverage table. */
export const OVERRIDABLE_KEYS: readonly string[] = Object.keys(OVERRIDABLE);

/** Applies `key=value` overrides; unknown keys and wrongly typed values are ignored. */
export function applyOverrides(base: ClientConfig, entries: Iterable<[string, unknown]>): ClientConfig {
  const config = { ...base };
  for (const [key, value] of entries) OVERRIDABLE[key]?.(config, value);
  return config;
}

/**
 * Jitsi's `overwriteConfig(config)` while the meeting runs: `config` is what
 * configOverwrite takes, through the same whitelist and checks. A security-relevant
 * key is refused outright, nothing applied, so the embedding page learns it cannot.
 */
export function withConfigOverwrite(base: ClientConfig, overwrite: unknown): ClientConfig {
  if (typeof overwrite !== 'object' || overwrite === null || Array.isArray(overwrite)) throw new Error('expected a config object');
  const entries = flatten('config', overwrite, 0);
  const refused = entries.map(([key]) => key).filter((key) => key in SERVER_ONLY_KEYS);
  if (refused.length > 0) throw new Error(`${refused.join(', ')} can only be set on the server`);
  return applyOverrides(base, entries);
}

/**
 * Reads Jitsi-style hash parameters. Values are JSON where they parse as JSON
 * (`true`, `"Ana"`), plain text otherwise, as Jitsi does. Object values are
 * spread into dotted keys, so `config.prejoinConfig={"enabled":false}` (what the
 * iframe API sends) means the same as `config.prejoinConfig.enabled=false`.
 */
export function parseHashParams(hash: string): Array<[string, unknown]> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return [...params].flatMap(([key, raw]) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    return flatten(key, value, 0);
  });
}

function flatten(key: string, value: unknown, depth: number): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > 3) return [[key, value]];
  return Object.entries(value).flatMap(([sub, inner]) => flatten(`${key}.${sub}`, inner, depth + 1));
}
