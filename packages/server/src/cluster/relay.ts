import { bridgeAuthHeader, verifyBridgeAuth } from '@tertulia/media';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import WebSocket from 'ws';

/** A participant's connection carried on to the node that holds its meeting. */
export interface Relay {
  send(text: string): void;
  /** The browser's side closed; `pageWentAway` as its close code said (1001). */
  close(pageWentAway: boolean): void;
}

export interface RelayEvents {
  message(text: string): void;
  /** The holding node's side closed, with a code the browser may be sent. */
  closed(code: number, reason: string): void;
}

const OPEN_TIMEOUT_MS = 5_000;
/** What the holding node sends (a join answer carries the chat history and everyone in the meeting): trusted, so only a sanity cap. */
const RELAYED_MAX_BYTES = 64 * 1024 * 1024;
/** The browser reconnects after this one; it means "try again", which is right when the relay itself broke. */
const CLOSE_SERVICE_RESTART = 1012;

/**
 * Opens a WebSocket to the signalling endpoint of the node at `url` (http://host:port) with
 * `headers` proving who relays for whom, and pipes messages between it and `events`.
 */
export async function openRelay(url: string, headers: Record<string, string>, events: RelayEvents): Promise<Relay> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`, { headers, handshakeTimeout: OPEN_TIMEOUT_MS, maxPayload: RELAYED_MAX_BYTES });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
  } catch (error) {
    socket.terminate();
    throw new ProtocolError(
      ErrorCode.ServerBusy,
      `The server holding this meeting cannot be reached (${(error as Error).message}); try again in a moment.`,
    );
  }
  socket.on('error', () => undefined);
  socket.on('message', (data, isBinary) => {
    if (!isBinary) events.message(data.toString());
  });
  socket.once('close', (code, reason) => events.closed(sendable(code) ? code : CLOSE_SERVICE_RESTART, reason.toString()));
  return {
    send: (text) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close: (pageWentAway) => socket.close(pageWentAway ? 1001 : 1000),
  };
}

/** Close codes an endpoint may send (1005, 1006 and 1015 are only ever reported). */
function sendable(code: number): boolean {
  return [1000, 1001, 1008, 1011, 1012, 1013].includes(code) || (code >= 3000 && code <= 4999);
}

/** A relayed connection says which node relays it, for which client and from which region, signed with BRIDGE_SECRET. */
export const RELAY_HEADER = 'x-tertulia-relay';

/** Where a participant's connection comes from: its address (per-address limits), and the REGION of the node it reached (media placement). */
export interface ClientOrigin {
  address: string;
  region?: string | undefined;
}

export function relayHeader(secret: string, nodeId: string, client: ClientOrigin): string {
  return bridgeAuthHeader(secret, [nodeId, client.address, client.region ?? ''].join('@'));
}

/** The client a relay header vouches for, or undefined when it is not signed with `secret` (or is stale). */
export function relayedClient(secret: string, header: string | string[]): ClientOrigin | undefined {
  if (typeof header !== 'string') return undefined;
  const verified = verifyBridgeAuth(secret, header);
  if ('refused' in verified) return undefined;
  // Node ids, addresses and regions have no "@".
  const [, address, region] = verified.nodeId.split('@');
  return address ? { address, ...(region ? { region } : {}) } : undefined;
}
