import { createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_BRIDGE_SECRET_LENGTH } from './bridge-wire.js';

/*
 * A signalling node proves it knows BRIDGE_SECRET without sending it: it signs the
 * time and its node id. A captured header is good for AUTH_WINDOW_MS either way of
 * the bridge's clock, so the machines' clocks must agree to within that.
 */

export const AUTH_WINDOW_MS = 30_000;

export function requireBridgeSecret(secret: string): void {
  if (secret.length < MIN_BRIDGE_SECRET_LENGTH) {
    throw new Error(`BRIDGE_SECRET must be at least ${MIN_BRIDGE_SECRET_LENGTH} characters (the same on the bridge and every signalling node).`);
  }
}

/** The header value a node sends when it connects. */
export function bridgeAuthHeader(secret: string, nodeId: string, now = Date.now()): string {
  const signed = `${now}.${nodeId}`;
  return `${signed}.${sign(secret, signed)}`;
}

/** The node id the header proves, or why it proves nothing. Node ids may contain dots (host names). */
export function verifyBridgeAuth(secret: string, header: string | undefined, now = Date.now()): { nodeId: string } | { refused: string } {
  if (!header) return { refused: 'no authentication header' };
  const first = header.indexOf('.');
  const last = header.lastIndexOf('.');
  if (first <= 0 || last <= first + 1) return { refused: 'a malformed authentication header' };
  const time = Number(header.slice(0, first));
  if (!Number.isSafeInteger(time)) return { refused: 'a malformed authentication header' };
  if (Math.abs(now - time) > AUTH_WINDOW_MS) return { refused: 'a stale timestamp (check that both clocks are right)' };
  const expected = Buffer.from(sign(secret, header.slice(0, last)), 'hex');
  const given = Buffer.from(header.slice(last + 1), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'a signature made with another secret' };
  return { nodeId: header.slice(first + 1, last) };
}

function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}
