import { createHash } from 'node:crypto';
import { bridgeAuthHeader, verifyBridgeAuth } from '@tertulia/media';

/** Where a signalling node answers the REST requests of the other nodes, on its public listener. */
export const CLUSTER_REST_PREFIX = '/cluster/v1';

/** A node-to-node REST request says which node sends it, signed with BRIDGE_SECRET together with the request itself. */
export const CLUSTER_REST_HEADER = 'x-tertulia-cluster';

/** The request as signed: method, path with query, and the JSON body (the empty string for none). */
export interface SignedRequest {
  method: string;
  path: string;
  body: unknown;
}

/*
 * Signed: `<node id>@@<request line>`. The empty field between the "@"s keeps the header from
 * passing as a relay header (which must name a client address) if it is captured.
 */
const SEPARATOR = '@@';

export function clusterRestHeader(secret: string, nodeId: string, request: SignedRequest): string {
  return bridgeAuthHeader(secret, `${nodeId}${SEPARATOR}${requestLine(request)}`);
}

/**
 * The node that signed `header` for exactly this request, or why it proves nothing. Binding
 * the method, path and body means a captured header (good for ±30 s) cannot be used to take
 * another action, on another meeting or participant.
 */
export function verifyClusterRest(secret: string, header: string | string[] | undefined, request: SignedRequest): { nodeId: string } | { refused: string } {
  if (typeof header !== 'string') return { refused: `no single ${CLUSTER_REST_HEADER} header` };
  const verified = verifyBridgeAuth(secret, header);
  if ('refused' in verified) return verified;
  // Node ids have no "@"; the request line may.
  const at = verified.nodeId.indexOf(SEPARATOR);
  if (at <= 0 || verified.nodeId.slice(at + SEPARATOR.length) !== requestLine(request)) return { refused: 'a signature made for another request' };
  return { nodeId: verified.nodeId.slice(0, at) };
}

/** The body as sent: JSON text, which parses back to the same text on the other node. */
export function bodyText(body: unknown): string {
  return body === undefined ? '' : JSON.stringify(body);
}

function requestLine({ method, path, body }: SignedRequest): string {
  return `${method.toUpperCase()} ${path} ${createHash('sha256').update(bodyText(body)).digest('hex')}`;
}
