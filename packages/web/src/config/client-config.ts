/**
 * The client's settings and the one whitelist through which anything outside the
 * app may change them: the URL hash today (Jitsi's `#config.x=…&userInfo.y=…`),
 * the iframe API's configOverwrite later. Only presentation and defaults are
 * listed; nothing here can weaken security, because the server decides that.
 */

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
}

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
};

type Setter = (config: ClientConfig, value: unknown) => void;

const boolean = (apply: (config: ClientConfig, value: boolean) => void): Setter => (config, value) => {
  if (typeof value === 'boolean') apply(config, value);
};
const text = (apply: (config: ClientConfig, value: string) => void, max = 256): Setter => (config, value) => {
  if (typeof value === 'string' && value.length <= max) apply(config, value);
};

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
};

/** Applies `key=value` overrides; unknown keys and wrongly typed values are ignored. */
export function applyOverrides(base: ClientConfig, entries: Iterable<[string, unknown]>): ClientConfig {
  const config = { ...base };
  for (const [key, value] of entries) OVERRIDABLE[key]?.(config, value);
  return config;
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
