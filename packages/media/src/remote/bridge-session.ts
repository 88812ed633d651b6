import { randomUUID } from 'node:crypto';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { CascadeLeg, MediaBridge } from '../bridge.js';
import {
  BRIDGE_METHODS,
  BridgeRequest,
  describeIssues,
  isBridgeMethod,
  type BridgeEvent,
  type BridgeMethod,
  type BridgeParams,
  type BridgeResult,
  type WireError,
} from './bridge-wire.js';
import { peerState } from './room-mirror.js';

type Handlers = { [M in BridgeMethod]: (params: BridgeParams<M>) => BridgeResult<M> | Promise<BridgeResult<M>> };

/** A room one node created, and the peer states last pushed to it (JSON; the key's presence: the node added the peer). */
interface ServedRoom {
  room: CascadeLeg;
  pushed: Map<string, string>;
}

/**
 * One signalling node's connection to the bridge: it runs the node's requests
 * against the local bridge and owns the rooms it created, which close with it.
 * After each room request it pushes the state of the peer the request named, when
 * that changed, before the response; the node's mirror depends on that order.
 */
export class BridgeSession {
  readonly #socket: WebSocket;
  readonly #bridge: MediaBridge<CascadeLeg>;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, ServedRoom>();
  readonly #handlers: Handlers;
  /** The highest request id received: stamped on pushes as `seq`. */
  #lastId = 0;
  #closed = false;

  constructor(socket: WebSocket, bridge: MediaBridge<CascadeLeg>, logger: Logger) {
    this.#socket = socket;
    this.#bridge = bridge;
    this.#logger = logger;
    this.#handlers = this.#makeHandlers();
  }

  /** Takes one frame from the node (undefined: not JSON text). A bad one is answered with an error and changes nothing. */
  receive(json: unknown): void {
    if (this.#closed) return;
    const envelope = BridgeRequest.safeParse(json);
    if (!envelope.success) {
      this.#send({ id: idOf(json), error: { code: ErrorCode.MalformedMessage, message: 'Expected JSON text {id, method, params}.' } });
      return;
    }
    const { id, method, params } = envelope.data;
    this.#lastId = Math.max(this.#lastId, id);
    if (!isBridgeMethod(method)) {
      this.#send({ id, error: { code: ErrorCode.UnknownMethod, message: `Unknown method "${method}".` } });
      return;
    }
    const parsed = BRIDGE_METHODS[method].params.safeParse(params);
    if (!parsed.success) {
      this.#send({ id, error: { code: ErrorCode.InvalidRequest, message: `Invalid "${method}" request: ${describeIssues(parsed.error)}` } });
      return;
    }
    this.#run(id, method, parsed.data).catch((err: unknown) => this.#logger.error({ err, method }, 'could not answer a bridge request'));
  }

  send(event: BridgeEvent): void {
    this.#send(event);
  }

  /** The node is gone: its rooms close now (a node that comes back creates new ones; its participants reconnect anyway). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    for (const { room } of rooms) room.close();
  }

  /** Runs a validated request. A sync handler runs before this returns, so its effect is in any later push. */
  async #run(id: number, method: BridgeMethod, params: unknown): Promise<void> {
    let reply: { id: number; result: unknown } | { id: number; error: WireError };
    try {
      const handler = this.#handlers[method] as (params: unknown) => unknown;
      const result = await handler(params);
      reply = { id, result };
    } catch (error) {
      reply = { id, error: this.#wireError(error, method) };
    }
    const named = params as { roomId?: string; peerId?: string };
    if (named.roomId !== undefined && named.peerId !== undefined) this.#pushPeer(named.roomId, named.peerId);
    this.#send(reply);
  }

  #makeHandlers(): Handlers {
    const room = (roomId: string) => this.#room(roomId).room;
    return {
      createRoom: ({ roomKey }) => this.#createRoom(roomKey),
      closeRoom: ({ roomId }) => {
        const served = this.#rooms.get(roomId);
        this.#rooms.delete(roomId);
        served?.room.close();
        return null;
      },
      createProbes: (options) => this.#bridge.createProbes(options),
      connectProbe: async ({ probeId, dtlsParameters }) => (await this.#bridge.connectProbe(probeId, dtlsParameters), null),
      closeProbes: ({ probeIds }) => (this.#bridge.closeProbes(probeIds), null),

      addPeer: ({ roomId, peerId }) => {
        const served = this.#room(roomId);
        served.room.addPeer(peerId);
        if (!served.pushed.has(peerId)) served.pushed.set(peerId, '');
        return null;
      },
      removePeer: ({ roomId, peerId }) => {
        const served = this.#room(roomId);
        served.room.removePeer(peerId);
        if (served.pushed.delete(peerId)) this.#send({ event: 'peer', roomId, peerId, seq: this.#lastId, state: null });
        return null;
      },
      setRtpCapabilities: ({ roomId, peerId, rtpCapabilities }) => (room(roomId).setRtpCapabilities(peerId, rtpCapabilities), null),
      createTransport: ({ roomId, peerId, direction }) => room(roomId).createTransport(peerId, direction),
      connectTransport: async ({ roomId, peerId, transportId, dtlsParameters }) => (await room(roomId).connectTransport(peerId, transportId, dtlsParameters), null),
      restartIce: ({ roomId, peerId, transportId }) => room(roomId).restartIce(peerId, transportId),
      produce: ({ roomId, peerId, request }) => room(roomId).produce(peerId, request),
      closeProducer: ({ roomId, peerId, producerId }) => (room(roomId).closeProducer(peerId, producerId), null),
      setProducerPaused: async ({ roomId, peerId, producerId, paused }) => (await room(roomId).setProducerPaused(peerId, producerId, paused), null),
      consume: ({ roomId, peerId, producerId, forwarding }) => room(roomId).consume(peerId, producerId, forwarding),
      resumeConsumer: async ({ roomId, peerId, consumerId }) => (await room(roomId).resumeConsumer(peerId, consumerId), null),
      setMaxOutgoingBitrate: async ({ roomId, peerId, bitrate }) => (await room(roomId).setMaxOutgoingBitrate(peerId, bitrate), null),
      setConsumerForwarding: async ({ roomId, peerId, consumerId, forwarding }) => (await room(roomId).setConsumerForwarding(peerId, consumerId, forwarding), null),
      closeConsumersFrom: ({ roomId, peerId, fromPeerId }) => room(roomId).closeConsumersFrom(peerId, fromPeerId),
      createRtpTap: ({ roomId, producerId, destination }) => room(roomId).createRtpTap(producerId, destination),
      requestTapKeyFrame: async ({ roomId, tapId }) => (await room(roomId).requestTapKeyFrame(tapId), null),
      closeTap: ({ roomId, tapId }) => (room(roomId).closeTap(tapId), null),
      openPipe: ({ roomId }) => room(roomId).openPipe(),
      connectPipe: async ({ roomId, pipeId, remote }) => (await room(roomId).connectPipe(pipeId, remote), null),
      closePipe: ({ roomId, pipeId }) => (room(roomId).closePipe(pipeId), null),
      pipeOut: ({ roomId, pipeId, producerId }) => room(roomId).pipeOut(pipeId, producerId),
      pipeIn: async ({ roomId, pipeId, producer }) => {
        const served = this.#room(roomId);
        await served.room.pipeIn(pipeId, producer);
        // The node mirrors relayed peers too: it asks which consumers come from them (closeConsumersFrom).
        if (!served.pushed.has(producer.peerId)) served.pushed.set(producer.peerId, '');
        this.#pushPeer(roomId, producer.peerId);
        return null;
      },
    };
  }

  async #createRoom(roomKey: string): Promise<{ roomId: string; rtpCapabilities: CascadeLeg['rtpCapabilities'] }> {
    const room = await this.#bridge.createRoom(roomKey);
    // The node went away while the room was being made: nobody would close it.
    if (this.#closed) {
      room.close();
      throw new ProtocolError(ErrorCode.MediaError, 'The signalling node disconnected.');
    }
    const roomId = randomUUID();
    const served: ServedRoom = { room, pushed: new Map() };
    this.#rooms.set(roomId, served);
    room.on('tapClosed', (tapId) => this.#send({ event: 'tapClosed', roomId, tapId }));
    room.on('consumerClosed', (peerId, consumerId) =>
      // mediasoup announces the close before it lets go of the consumer: look once it has.
      queueMicrotask(() => {
        this.#pushPeer(roomId, peerId);
        this.#send({ event: 'consumerClosed', roomId, peerId, consumerId });
      }),
    );
    room.on('dominantSpeaker', (peerId) => this.#send({ event: 'dominantSpeaker', roomId, peerId }));
    room.on('downlink', (peerId, estimate) => this.#send({ event: 'downlink', roomId, peerId, estimate }));
    room.once('closed', (reason) => {
      // Closed on the node's request (closeRoom, or the node left): nothing to tell.
      if (this.#rooms.get(roomId) !== served) return;
      this.#rooms.delete(roomId);
      this.#send({ event: 'closed', roomId, reason });
    });
    return { roomId, rtpCapabilities: room.rtpCapabilities };
  }

  #room(roomId: string): ServedRoom {
    const served = this.#rooms.get(roomId);
    if (!served) throw new ProtocolError(ErrorCode.NotFound, "This room's media has closed on the bridge; rejoin the meeting.");
    return served;
  }

  /** Sends the peer's state if the node added the peer and it changed since the last push. */
  #pushPeer(roomId: string, peerId: string): void {
    const served = this.#rooms.get(roomId);
    const last = served?.pushed.get(peerId);
    if (!served || last === undefined) return;
    const state = peerState(served.room, peerId);
    const json = JSON.stringify(state);
    if (json === last) return;
    served.pushed.set(peerId, json);
    this.#send({ event: 'peer', roomId, peerId, seq: this.#lastId, state });
  }

  #wireError(error: unknown, method: BridgeMethod): WireError {
    if (error instanceof ProtocolError) return { code: error.code, message: error.message };
    this.#logger.error({ err: error, method }, 'bridge request failed');
    return { code: ErrorCode.Internal, message: `The media bridge failed "${method}": ${error instanceof Error ? error.message : String(error)}` };
  }

  #send(message: object): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}

/** The id of a message that failed validation, when it has a usable one, so the node can match the error. */
function idOf(json: unknown): number | null {
  const id = (json as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 ? id : null;
}
