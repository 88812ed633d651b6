import { createHmac } from 'node:crypto';
import type { IceServer } from '@tertulia/protocol';
import type { Config } from '../config.js';

/**
 * TURN credentials the way coturn checks them with `use-auth-secret` (the "TURN REST
 * API"): the username is `<expiry unix time>:<name>`, the password is
 * base64(HMAC-SHA1(static-auth-secret, username)). coturn refuses the username once
 * its time has passed, and refuses a password made with any other secret. The secret
 * itself stays on the server.
 */
export function turnCredentials(secret: string, name: string, expiresAtSeconds: number): { username: string; credential: string } {
  const username = `${Math.floor(expiresAtSeconds)}:${name}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export interface IceSettings {
  /** turn: and turns: URLs, in the order browsers should try them. */
  turnUrls: string[];
  /** coturn's static-auth-secret (TURN_CREDENTIALS). */
  secret: string | undefined;
  /** How long issued credentials stay valid. */
  ttlSeconds: number;
  /** stun: URLs for the peer-to-peer path. */
  stunUrls: string[];
}

/** What a browser gets: ICE servers for its transports to the media server, and for a direct (P2P) connection. */
export interface IssuedIceServers {
  /** For the transports to the media server: TURN only (the server has a public address, STUN adds nothing). */
  iceServers: IceServer[];
  /** For the peer-to-peer connection: the STUN servers, then the same TURN servers. */
  p2pIceServers: IceServer[];
  /** When the TURN credentials stop working (ms since the epoch); undefined without TURN. */
  expiresAt: number | undefined;
}

/** Something that can be told about fresh ICE servers until it goes away: a participant. */
export interface IceServerRecipient {
  readonly id: string;
  notify(method: 'iceServersUpdated', data: { iceServers: IceServer[]; p2pIceServers: IceServer[] }): void;
  /** Runs `task` every `everyMs` until the recipient leaves; a new call replaces the old schedule. */
  every(everyMs: number, task: () => void): void;
}

/** The settings in config, as URLs. IPv6 hosts get their brackets. */
export function iceSettingsFrom(config: Config): IceSettings {
  const host = (name: string) => (name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
  const turnUrls = [
    ...(config.TURN_HOST ?? []).flatMap((name) =>
      config.TURN_TRANSPORT.map((transport) => `turn:${host(name)}:${config.TURN_PORT}?transport=${transport}`),
    ),
    ...(config.TURNS_HOST ?? []).map((name) => `turns:${host(name)}:${config.TURNS_PORT}?transport=tcp`),
  ];
  const stunUrls = [
    ...config.P2P_STUN_SERVERS.map((server) => (server.startsWith('stun:') || server.startsWith('stuns:') ? server : `stun:${server}`)),
    ...(config.STUN_HOST ? [`stun:${host(config.STUN_HOST)}:${config.STUN_PORT}`] : []),
  ];
  return { turnUrls, secret: config.TURN_CREDENTIALS, ttlSeconds: config.TURN_TTL, stunUrls };
}

/** Issues ICE servers with time-limited TURN credentials, and renews them before they run out. */
export class IceServerIssuer {
  readonly #settings: IceSettings;
  readonly #now: () => number;

  constructor(settings: IceSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
  }

  get turnConfigured(): boolean {
    return this.#settings.turnUrls.length > 0 && this.#settings.secret !== undefined;
  }

  get stunUrls(): readonly string[] {
    return this.#settings.stunUrls;
  }

  /** Fresh servers for `name` (a participant id, or a self-test's label), valid for `ttlSeconds`. */
  issue(name: string, ttlSeconds = this.#settings.ttlSeconds): IssuedIceServers {
    const stun: IceServer[] = this.#settings.stunUrls.length > 0 ? [{ urls: [...this.#settings.stunUrls] }] : [];
    if (!this.turnConfigured) return { iceServers: [], p2pIceServers: stun, expiresAt: undefined };
    const expiresAt = this.#now() + ttlSeconds * 1000;
    const turn: IceServer = { urls: [...this.#settings.turnUrls], ...turnCredentials(this.#settings.secret!, name, expiresAt / 1000) };
    return { iceServers: [turn], p2pIceServers: [...stun, turn], expiresAt };
  }

  /**
   * When to hand out new credentials: with room to spare before the old ones expire
   * (an hour with the default day, half the time with short ones), so a browser that
   * must gather again (an ICE restart, a network change) never holds expired ones.
   */
  get renewEveryMs(): number {
    const ttl = this.#settings.ttlSeconds;
    return (ttl - Math.min(ttl / 2, 3600)) * 1000;
  }

  /** Issues servers for `recipient` now and sends it new ones before each set expires, until it leaves. */
  keepFresh(recipient: IceServerRecipient): IssuedIceServers {
    const issued = this.issue(recipient.id);
    if (issued.expiresAt !== undefined) {
      recipient.every(this.renewEveryMs, () => {
        const { iceServers, p2pIceServers } = this.issue(recipient.id);
        recipient.notify('iceServersUpdated', { iceServers, p2pIceServers });
      });
    }
    return issued;
  }
}
