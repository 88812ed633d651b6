import type { NodeRecord, Registry, RoomLeases } from '@tertulia/cluster';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { RoomView } from '../api/room-actions.js';
import { bodyText, CLUSTER_REST_HEADER, CLUSTER_REST_PREFIX, clusterRestHeader, verifyClusterRest, type SignedRequest } from './cluster-rest-auth.js';

/** A room action answers at once; longer than this and the holder is taken to be unreachable. */
const ACTION_TIMEOUT_MS = 5_000;
/** Listing waits for no node longer than this: a partial list, said to be partial, beats none. */
const LIST_TIMEOUT_MS = 2_000;

/** The holder's answer, passed on to the integrator as it is. */
export interface ForwardedAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface DeploymentMeetings {
  rooms: RoomView[];
  /** Nodes that did not answer in time: their meetings are missing from `rooms`. */
  unreachableNodes: string[];
}

/**
 * With several signalling nodes (REDIS_URL), makes the REST API answer for the whole
 * deployment: an action on a meeting another node holds runs there, and the listing asks
 * every node. Requests go to the other node's `/cluster/v1` endpoint, signed with
 * BRIDGE_SECRET; the integrator's credentials were checked here, so they are not sent on.
 */
export class RestForwarding {
  constructor(
    private readonly cluster: { registry: Registry; nodeId: string },
    /** The node's own leases (RoomRouter's): who holds which meeting. */
    private readonly leases: RoomLeases,
    private readonly secret: string,
    private readonly logger: Logger,
  ) {}

  /** The other live node that holds the meeting, if one does; unlike RoomRouter.route, this never claims it. */
  async holder(roomKey: string): Promise<NodeRecord | undefined> {
    try {
      return await this.leases.holderElsewhere(roomKey);
    } catch (error) {
      throw this.#registryDown(error, { room: roomKey });
    }
  }

  /** Runs `request` (a path under /api/v1) on `node` and returns its answer; 503 when it does not answer. */
  async forward(node: NodeRecord, request: SignedRequest): Promise<ForwardedAnswer> {
    try {
      const response = await this.#call(node, request, ACTION_TIMEOUT_MS);
      const answer = { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: await response.text() };
      if (answer.status === 401) this.logger.warn({ node: node.id }, 'another signalling node refused this node’s signature: check that BRIDGE_SECRET is the same on every node');
      return answer;
    } catch (error) {
      this.logger.warn({ err: error, node: node.id, url: node.signallingUrl, path: request.path }, 'the node holding a meeting did not answer a REST request');
      throw new ProtocolError(
        ErrorCode.ServerBusy,
        `This meeting is held by signalling node "${node.id}", which did not answer (${reason(error)}); try again in a moment.`,
      );
    }
  }

  /**
   * The meetings of the whole deployment: `here` (this node's) and those every other live node
   * lists, asked in parallel. Each meeting appears once, even if a handover shows it on two nodes.
   */
  async meetingsEverywhere(here: readonly RoomView[]): Promise<DeploymentMeetings> {
    let nodes: NodeRecord[];
    try {
      nodes = (await this.cluster.registry.list('node')).filter((node) => node.id !== this.cluster.nodeId);
    } catch (error) {
      throw this.#registryDown(error, {});
    }
    const listed = await Promise.all(nodes.map((node) => this.#meetingsOf(node)));
    const rooms = new Map(here.map((room) => [room.name.toLowerCase(), room]));
    for (const room of listed.flatMap((answer) => answer ?? [])) {
      if (!rooms.has(room.name.toLowerCase())) rooms.set(room.name.toLowerCase(), room);
    }
    const unreachableNodes = nodes.filter((_node, index) => listed[index] === undefined).map((node) => node.id);
    return { rooms: [...rooms.values()], unreachableNodes };
  }

  /** Whether `header` was signed by a node of this deployment for exactly `request`. */
  verify(header: string | string[] | undefined, request: SignedRequest): boolean {
    const verified = verifyClusterRest(this.secret, header, request);
    if ('refused' in verified) this.logger.warn({ refused: verified.refused, path: request.path }, 'refused a node-to-node REST request');
    return 'nodeId' in verified;
  }

  async #meetingsOf(node: NodeRecord): Promise<RoomView[] | undefined> {
    try {
      const response = await this.#call(node, { method: 'GET', path: '/rooms', body: undefined }, LIST_TIMEOUT_MS);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return ((await response.json()) as { rooms: RoomView[] }).rooms;
    } catch (error) {
      this.logger.warn({ err: error, node: node.id, url: node.signallingUrl }, 'a signalling node did not list its meetings; the REST listing leaves them out');
      return undefined;
    }
  }

  /** `request.path` is relative to the API; the signature covers the path as the other node will see it. */
  async #call(node: NodeRecord, request: SignedRequest, timeoutMs: number): Promise<Response> {
    const url = new URL(`${CLUSTER_REST_PREFIX}${request.path}`, node.signallingUrl);
    const signed = { ...request, path: `${url.pathname}${url.search}` };
    const headers: Record<string, string> = { [CLUSTER_REST_HEADER]: clusterRestHeader(this.secret, this.cluster.nodeId, signed) };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(url, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: bodyText(request.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  #registryDown(error: unknown, context: object): ProtocolError {
    this.logger.warn({ err: error, ...context }, 'registry (Redis) unreachable: cannot tell which node holds which meeting');
    return new ProtocolError(
      ErrorCode.ServerBusy,
      'The deployment’s registry (Redis) cannot be reached, so the meetings of the other signalling nodes cannot be found. Try again in a moment.',
    );
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return cause ?? (error as Error).message;
}
