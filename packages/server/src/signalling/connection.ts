import {
  CloseCode,
  ErrorCode,
  checkRoomName,
  Limits,
  ProtocolError,
  RequestEnvelope,
  Requests,
  isRequestMethod,
  type ErrorBody,
  type NotificationMethod,
  type RequestMethod,
} from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { RecordingService } from '../recording/recording-service.js';
import type { RawData, WebSocket } from 'ws';
import type { RoomRouter } from '../cluster/room-router.js';
import { openRelay, type Relay } from '../cluster/relay.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { IceServerIssuer } from '../connectivity/ice-servers.js';
import type { SelfTestService } from '../connectivity/self-test.js';
import type { WaitingEntry } from '../rooms/lobby.js';
import type { Participant, ParticipantLink } from '../rooms/participant.js';
import type { Room } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { AddressLimits } from './address-limits.js';
import { meetingFor, type AccessPolicy, type FailedAttempts } from './admission.js';
import { handlers } from './handlers.js';
import type { ClientOrigin } from '../cluster/relay.js';
import { TokenBucket } from './rate-limiter.js';

/** What every connection shares: the rooms and the server's state. */
export interface ServerContext {
  readonly registry: RoomRegistry;
  readonly logger: Logger;
  readonly reconnectGraceMs: number;
  /** Who may join and as what (ENABLE_AUTH, ENABLE_GUESTS, TOKEN_AUTH_URL). */
  readonly access: AccessPolicy;
  /** The configured AUTH_TYPE's backend; absent on an anonymous server. */
  readonly authenticator?: Authenticator | undefined;
  /** Failed room passwords and logins per address. */
  readonly failedAttempts: FailedAttempts;
  /** TURN/STUN servers with time-limited credentials for each participant. */
  readonly ice: IceServerIssuer;
  /** The connectivity self-test's probes and credentials. */
  readonly selfTest: SelfTestService;
  /** Connections, joins and new rooms per client address. */
  readonly addressLimits: AddressLimits;
  /** JOIN_TIMEOUT_SECONDS, in ms: how long a connection may stay open without joining. */
  readonly joinTimeoutMs: number;
  /** MAX_PARTICIPANTS: people in one meeting, breakout rooms included. */
  readonly maxParticipants: number;
  /** Recording and live streaming (ENABLE_RECORDING, ENABLE_LIVESTREAMING). */
  readonly recordings: RecordingService;
  /** True once shutdown started: no new joins. */
  draining: boolean;
  /** With several signalling nodes (REDIS_URL): which node holds each meeting. */
  readonly router?: RoomRouter | undefined;
}

/** A client that keeps flooding after being told to slow down is cut off at this many refusals in a row. */
const MAX_RATE_LIMIT_STRIKES = 50;
/** WebSocket close codes this server uses. 1001 from a browser means the page went away. */
const CLOSE_GOING_AWAY = 1001;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_SERVICE_RESTART = 1012;
/** Application close code: this session was resumed by another connection. */
export const CLOSE_SUPERSEDED = 4001;
/** Application close code: the server removed this participant (kicked, or the meeting ended); do not reconnect. */
export const CLOSE_REMOVED = 4002;
/** Dead sockets (no pong) are noticed within two of these. */
const HEARTBEAT_MS = 15_000;

/**
 * One signalling WebSocket. It checks every message against the protocol and the
 * connection's limits, runs requests one at a time in arrival order, and ties the
 * socket to at most one participant.
 */
export class SignallingConnection {
  readonly link: ParticipantLink = {
    notify: (method, data) => this.#notify(method, data),
    supersede: () => {
      this.detach();
      this.#socket.close(CLOSE_SUPERSEDED, 'session resumed elsewhere');
    },
    close: (reason) => {
      this.detach();
      // After the current turn, so a response already on its way (to the moderator who ended the meeting) goes out first.
      setImmediate(() => this.#socket.close(CLOSE_REMOVED, reason));
    },
    moved: (room) => {
      const participant = this.#session?.participant;
      if (!participant) return;
      this.detach();
      this.attach(room, participant);
      this.#notify('moved', { meeting: meetingFor(room, participant, false, this.server.ice) });
    },
    roomClosed: () => {
      this.detach();
      this.#socket.close(CLOSE_SERVICE_RESTART, 'room media restarted; reconnect');
    },
    mediaRestarted: (room) => {
      // Receiving starts again once the browser has its new receive transport.
      this.#receiving = false;
      this.#notify('mediaRestarted', { meeting: meetingFor(room, this.joined().participant, true, this.server.ice) });
    },
  };
  readonly #socket: WebSocket;
  readonly #logger: Logger;
  readonly #bucket = new TokenBucket(Limits.messagesPerSecond, Limits.messageBurst);
  #queue: Promise<void> = Promise.resolve();
  #strikes = 0;
  #session: { room: Room; participant: Participant } | undefined;
  #waiting: { room: Room; entry: WaitingEntry } | undefined;
  #receiving = false;
  /** Relaying to the node that holds this connection's meeting: everything goes there from now on. */
  #relay: Relay | undefined;
  /** Requests queued or running: a join under way is not idleness. */
  #working = 0;
  #closeCode: number | undefined;

  constructor(
    socket: WebSocket,
    readonly server: ServerContext,
    /** The client's address (per-address limits such as password attempts) and region (where its media goes). */
    readonly client: ClientOrigin,
  ) {
    this.#socket = socket;
    this.#logger = server.logger;
    socket.on('message', (raw, isBinary) => this.#receive(raw, isBinary));
    socket.on('close', (code) => this.#closed(code));
    let alive = true;
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) socket.terminate();
      alive = false;
      socket.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const idle = setTimeout(() => {
      if (this.busy || this.#working > 0 || server.selfTest.holds(this)) idle.refresh();
      else socket.close(CloseCode.JoinTimeout, 'join timeout');
    }, server.joinTimeoutMs);
    socket.once('close', () => {
      clearInterval(heartbeat);
      clearTimeout(idle);
    });
    socket.on('error', (err) => this.#logger.debug({ err }, 'websocket error'));
  }

  get session(): { room: Room; participant: Participant } | undefined {
    return this.#session;
  }

  /** True from `join` until the end: in the meeting, or waiting outside it. */
  get remoteAddress(): string {
    return this.client.address;
  }

  get busy(): boolean {
    return this.#session !== undefined || this.#waiting !== undefined || this.#relay !== undefined;
  }

  /** Parks this connection outside `room` until the entry is admitted or denied. */
  wait(room: Room, entry: WaitingEntry): void {
    this.#waiting = { room, entry };
    this.#closedMeanwhile();
  }

  stopWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.room.forgetWaiting(waiting.entry.id);
  }

  /** The room is gone while we waited; the browser reconnects and finds (or opens) a new one. */
  closeForRestart(): void {
    this.#socket.close(CLOSE_SERVICE_RESTART, 'room closed; reconnect');
  }

  joined(): { room: Room; participant: Participant } {
    if (!this.#session) throw new ProtocolError(ErrorCode.NotJoined, 'Join a room first.');
    return this.#session;
  }

  attach(room: Room, participant: Participant): void {
    this.#session = { room, participant };
    this.#receiving = false;
    this.#closedMeanwhile();
  }

  /** A join that finished after the socket closed: let go of what it took, as the close would have. */
  #closedMeanwhile(): void {
    if (this.#closeCode !== undefined) this.#closed(this.#closeCode);
  }

  detach(): void {
    this.#session = undefined;
  }

  /**
   * Once the browser has both declared its RTP capabilities and made its receive
   * transport, it gets consumers for everything already flowing. That runs after the
   * current response is sent, so the browser knows its transport before the first consumer arrives.
   */
  startReceivingWhenReady(): void {
    const session = this.joined();
    if (this.#receiving || !session.room.media.canReceive(session.participant.id)) return;
    this.#receiving = true;
    this.#enqueue(() => session.room.startReceiving(session.participant));
  }

  #receive(raw: RawData, isBinary: boolean): void {
    const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength;
    if (size > Limits.maxMessageBytes) {
      this.#notify('protocolError', { code: ErrorCode.MessageTooLarge, message: `Messages are limited to ${Limits.maxMessageBytes} bytes; this one had ${size}.` });
      return;
    }
    // Decoded once: the text is parsed here and, for a meeting held by another node, relayed as it came.
    const text = isBinary ? undefined : raw.toString();
    const json = text === undefined ? undefined : parseJson(text);
    if (!this.#bucket.take()) {
      this.#strikes += 1;
      if (this.#strikes >= MAX_RATE_LIMIT_STRIKES) this.#socket.close(CLOSE_POLICY_VIOLATION, 'too many messages');
      else this.#refuse(json, { code: ErrorCode.RateLimited, message: `Slow down: at most ${Limits.messagesPerSecond} messages a second.` });
      return;
    }
    this.#strikes = 0;
    if (json === undefined) {
      this.#notify('protocolError', { code: ErrorCode.MalformedMessage, message: 'Messages must be JSON text.' });
      return;
    }
    const envelope = RequestEnvelope.safeParse(json);
    if (!envelope.success) {
      this.#refuse(json, { code: ErrorCode.MalformedMessage, message: 'Expected {type: "request", id, method, data}.' });
      return;
    }
    const { id, method, data } = envelope.data;
    if (!isRequestMethod(method)) {
      this.#respondError(id, { code: ErrorCode.UnknownMethod, message: `Unknown method "${method}".` });
      return;
    }
    const parsed = Requests[method].request.safeParse(data ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'data'}: ${issue.message}`).join('; ');
      this.#respondError(id, { code: ErrorCode.InvalidRequest, message: `Invalid "${method}" request: ${detail}` });
      return;
    }
    // Checked here as well as by the node it goes to: the limits hold on the edge whatever the relay.
    const request = text!;
    this.#enqueue(async () => {
      if (this.#relay) this.#relay.send(request);
      else await this.#run(id, method, parsed.data, request);
    });
  }

  async #run(id: number, method: RequestMethod, data: unknown, text: string): Promise<void> {
    try {
      if (method === 'join' && (await this.#relayIfElsewhere(data as { room: string }, text))) return;
      const handler = handlers[method] as (c: SignallingConnection, d: unknown) => Promise<unknown>;
      this.#send({ type: 'response', id, ok: true, data: await handler(this, data) });
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.#respondError(id, error.toJSON());
      } else {
        this.#logger.error({ err: error, method }, 'request failed');
        this.#respondError(id, { code: ErrorCode.Internal, message: 'The server could not complete this request.' });
      }
    }
  }

  /**
   * A meeting held by another node: from now on this connection is a pipe to that node, which
   * answers this `join` and everything after it. True when it went there.
   */
  async #relayIfElsewhere({ room }: { room: string }, join: string): Promise<boolean> {
    const router = this.server.router;
    const name = checkRoomName(room);
    if (!router || !name.ok || this.busy) return false;
    const route = await router.route(name.key);
    if (route.here) return false;
    this.#relay = await openRelay(route.url, router.relayHeaders(this.client), {
      message: (text) => {
        if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(text);
      },
      closed: (code, reason) => this.#socket.close(code, reason),
    });
    this.#logger.debug({ room: name.key, node: route.nodeId }, 'relaying a participant to the node that holds the meeting');
    this.#relay.send(join);
    return true;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#working += 1;
    this.#queue = this.#queue
      .then(task)
      .catch((err: unknown) => this.#logger.error({ err }, 'signalling task failed'))
      .finally(() => (this.#working -= 1));
  }

  #closed(code: number): void {
    this.#closeCode = code;
    this.#relay?.close(code === CLOSE_GOING_AWAY);
    this.stopWaiting();
    this.server.selfTest.release(this);
    const session = this.#session;
    this.detach();
    if (!session || !session.participant.isAttachedTo(this.link)) return;
    session.room.disconnected(session.participant, this.server.reconnectGraceMs, code === CLOSE_GOING_AWAY);
  }

  /** Answers a refused message: as a response when its id can be read, otherwise as a protocolError notification. */
  #refuse(message: unknown, error: ErrorBody): void {
    const id = requestIdOf(message);
    if (id === undefined) this.#notify('protocolError', error);
    else this.#respondError(id, error);
  }

  #respondError(id: number, error: ErrorBody): void {
    this.#send({ type: 'response', id, ok: false, error });
  }

  #notify(method: NotificationMethod, data: unknown): void {
    this.#send({ type: 'notification', method, data });
  }

  #send(message: object): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}

/**
 * Takes a new signalling WebSocket from `address`, or, when a per-address limit says no,
 * closes it at once with CloseCode.Refused and the error code as the reason, which the
 * browser shows instead of retrying at once.
 */
export function acceptSignalling(socket: WebSocket, server: ServerContext, client: ClientOrigin): void {
  const { address } = client;
  const refusal = server.addressLimits.connect(address);
  if (refusal) {
    server.logger.debug({ address, code: refusal.code }, 'connection refused');
    socket.close(CloseCode.Refused, refusal.code);
    return;
  }
  socket.once('close', () => server.addressLimits.disconnected(address));
  new SignallingConnection(socket, server, client);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The id of a message that failed checks, when it has one, so the client can match the error to its request. */
function requestIdOf(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}
