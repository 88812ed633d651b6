import { EventEmitter } from 'node:events';
import type {
  CascadeLeg,
  ConsumerDescription,
  ConsumerForwarding,
  MediaRoom,
  MediaRoomEvents,
  PeerPlacement,
  PipeEndpoint,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
} from '@tertulia/media';
import { ErrorCode, ProtocolError, type DtlsParameters, type IceParameters, type RtpCapabilities, type TransportOptions } from '@tertulia/protocol';
import type { Logger } from 'pino';

/** The room's media on one bridge. */
export interface Leg {
  room: CascadeLeg;
  bridgeId: string;
}

/** Where a room's media may go; the node's ClusterMediaBridge answers from the registry. */
export interface LegPlacement {
  /** Places the room's media on a new bridge, not one of `avoid` (bridge ids), in `region` when one is there. */
  place(avoid: ReadonlySet<string>, region?: string): Promise<Leg>;
  /** Whether the bridge may take one more participant (not stressed, below BRIDGE_MAX_PARTICIPANTS). */
  hasCapacity(bridgeId: string): boolean;
  regionOf(bridgeId: string): string | undefined;
  /** Whether a bridge of `region`, not one of `avoid`, could take a participant. */
  hasRoomIn(region: string, avoid: ReadonlySet<string>): boolean;
}

/** A producer: whose, the leg it was made on, and its copies on other legs (each a pipe done or under way). */
interface Origin {
  peerId: string;
  leg: Leg;
  copies: Map<Leg, Promise<void>>;
}

/** A participant of the room and the leg it is on (undefined while a new leg is being opened for it). */
interface Member {
  leg: Leg | undefined;
  ready: Promise<Leg>;
  placement: PeerPlacement | undefined;
}

/**
 * A meeting's media in a deployment of several bridges. It starts on one bridge (the
 * first leg); a participant who arrives when every leg's bridge is full, or from a region
 * where the meeting has no bridge yet but the deployment has one, opens a leg on another
 * bridge (cascade, as jicofo's region-based strategy). A participant's transports, producers and consumers are all on
 * its own leg; a producer another leg's participant consumes crosses once, over the pipe
 * between the two bridges, the first time it is needed, and that bridge fans it out.
 *
 * When a leg's bridge goes away (killed, crashed, unreachable), the participants who were
 * on it are placed again on the other legs or a new bridge, and `moved` names them: their
 * browsers connect again, the others only lose (and then get again) their media. When it was
 * the only leg, the room's media is placed again from scratch on another bridge. The meeting
 * itself (people, chat, moderation) stays where it is. Only when no bridge can take it does
 * the media close.
 */
export class ClusterMediaRoom extends EventEmitter<MediaRoomEvents> implements MediaRoom {
  #legs: Leg[];
  #capabilities: RtpCapabilities;
  readonly #members = new Map<string, Member>();
  /** What each participant can receive, kept to give to its leg when the leg is known (and again after a move). */
  readonly #receiveCapabilities = new Map<string, RtpCapabilities>();
  /** Where each producer was made, and the legs it was piped to (done or under way). */
  readonly #origins = new Map<string, Origin>();
  /** Pipe ends per pair of bridges ("idA|idB", sorted): pipe id by bridge id. */
  readonly #pipes = new Map<string, Promise<Map<string, string>>>();
  readonly #taps = new Map<string, Leg>();
  /** Bridges this room was lost on; not tried again for it. */
  readonly #lost = new Set<string>();
  /** Legs being opened, by region ('' for any). */
  readonly #opening = new Map<string, Promise<Leg>>();
  /** Settles when a move has placed the media again. */
  #moving: Promise<void> = Promise.resolve();
  #lastSpeaker: string | undefined;
  #closed = false;

  constructor(
    first: Leg,
    private readonly placement: LegPlacement,
    private readonly logger: Logger,
  ) {
    super();
    this.#legs = [first];
    this.#capabilities = first.room.rtpCapabilities;
    this.#attach(first);
  }

  /** The bridges the media is on now, the first leg's first. */
  get bridgeIds(): string[] {
    return this.#legs.map((leg) => leg.bridgeId);
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#capabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Participants whose media is on the bridge: what a bridge's capacity counts. */
  peersOn(bridgeId: string): number {
    let count = 0;
    for (const member of this.#members.values()) if (member.leg?.bridgeId === bridgeId) count += 1;
    return count;
  }

  addPeer(peerId: string, placement?: PeerPlacement): void {
    if (this.#members.has(peerId)) return;
    const member: Member = { leg: undefined, ready: undefined!, placement };
    this.#members.set(peerId, member);
    const region = placement?.region;
    const fitting = this.#fittingLeg(region);
    // A leg with room takes the participant now, so participants arriving together count against its capacity one by one.
    member.ready = fitting ? Promise.resolve(this.#join(peerId, member, fitting)) : this.#assignLater(peerId, member, region);
    member.ready.catch((err: unknown) => this.logger.warn({ err, peerId }, 'no media bridge could take a participant'));
  }

  removePeer(peerId: string): void {
    const member = this.#members.get(peerId);
    if (!member) return;
    this.#members.delete(peerId);
    this.#receiveCapabilities.delete(peerId);
    member.leg?.room.removePeer(peerId);
    // On the legs its producers were piped to, it is a peer too (with those producers only).
    const copies = new Map<Leg, Array<Promise<void>>>();
    for (const [producerId, origin] of this.#origins) {
      if (origin.peerId !== peerId) continue;
      this.#origins.delete(producerId);
      for (const [leg, done] of origin.copies) copies.set(leg, [...(copies.get(leg) ?? []), done]);
    }
    for (const [leg, pipes] of copies) {
      // A resumed session may have been placed on that very leg since (removePeer, then addPeer): it is no copy there.
      void Promise.allSettled(pipes).then(() => this.#members.get(peerId)?.leg !== leg && leg.room.removePeer(peerId));
    }
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: RtpCapabilities): void {
    const member = this.#member(peerId);
    this.#receiveCapabilities.set(peerId, rtpCapabilities);
    member.leg?.room.setRtpCapabilities(peerId, rtpCapabilities);
  }

  canReceive(peerId: string): boolean {
    return this.#members.get(peerId)?.leg?.room.canReceive(peerId) ?? false;
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    return (await this.#legOf(peerId)).room.createTransport(peerId, direction);
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await (await this.#legOf(peerId)).room.connectTransport(peerId, transportId, dtlsParameters);
  }

  async restartIce(peerId: string, transportId: string): Promise<IceParameters> {
    return (await this.#legOf(peerId)).room.restartIce(peerId, transportId);
  }

  async produce(peerId: string, request: ProduceRequest): Promise<{ producerId: string }> {
    const leg = await this.#legOf(peerId);
    const produced = await leg.room.produce(peerId, request);
    if (this.#members.get(peerId)?.leg === leg) this.#origins.set(produced.producerId, { peerId, leg, copies: new Map() });
    return produced;
  }

  closeProducer(peerId: string, producerId: string): void {
    this.#placedLeg(peerId).room.closeProducer(peerId, producerId);
    this.#forgetProducer(producerId);
  }

  async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    await (await this.#legOf(peerId)).room.setProducerPaused(peerId, producerId, paused);
    // Its copies on other bridges pause too, so their consumers say the producer is paused.
    await Promise.all(
      [...(this.#origins.get(producerId)?.copies ?? [])].map(async ([leg, done]) => {
        await done;
        await leg.room.setProducerPaused(peerId, producerId, paused);
      }),
    );
  }

  producersOf(peerId: string): ProducerInfo[] {
    return this.#members.get(peerId)?.leg?.room.producersOf(peerId) ?? [];
  }

  async consume(peerId: string, producerId: string, forwarding?: ConsumerForwarding): Promise<ConsumerDescription | null> {
    const leg = await this.#legOf(peerId);
    const origin = this.#origins.get(producerId);
    if (origin && origin.leg !== leg) await this.#pipe(producerId, origin, leg);
    return leg.room.consume(peerId, producerId, forwarding);
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    await (await this.#legOf(peerId)).room.resumeConsumer(peerId, consumerId);
  }

  async setMaxOutgoingBitrate(peerId: string, bitrate: number): Promise<void> {
    await (await this.#legOf(peerId)).room.setMaxOutgoingBitrate(peerId, bitrate);
  }

  async setConsumerForwarding(peerId: string, consumerId: string, forwarding: ConsumerForwarding): Promise<void> {
    await (await this.#legOf(peerId)).room.setConsumerForwarding(peerId, consumerId, forwarding);
  }

  consumersOf(peerId: string): ReturnType<MediaRoom['consumersOf']> {
    return this.#members.get(peerId)?.leg?.room.consumersOf(peerId) ?? [];
  }

  closeConsumersFrom(peerId: string, fromPeerId: string): string[] {
    return this.#members.get(peerId)?.leg?.room.closeConsumersFrom(peerId, fromPeerId) ?? [];
  }

  consumerCount(peerId: string): number {
    return this.#members.get(peerId)?.leg?.room.consumerCount(peerId) ?? 0;
  }

  async createRtpTap(producerId: string, destination: RtpDestination): Promise<RtpTapDescription> {
    const leg = this.#origins.get(producerId)?.leg ?? this.#legs[0];
    if (!leg) throw roomMoving();
    const tap = await leg.room.createRtpTap(producerId, destination);
    this.#taps.set(tap.tapId, leg);
    return tap;
  }

  async requestTapKeyFrame(tapId: string): Promise<void> {
    await this.#taps.get(tapId)?.room.requestTapKeyFrame(tapId);
  }

  closeTap(tapId: string): void {
    this.#taps.get(tapId)?.room.closeTap(tapId);
    this.#taps.delete(tapId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const leg of this.#legs) leg.room.close();
    this.emit('closed', 'closed');
  }

  /**
   * The first leg whose bridge has room for one more participant, in the participant's
   * region when it has one; none when only a new bridge there would be.
   */
  #fittingLeg(region: string | undefined): Leg | undefined {
    const open = this.#legs.filter((leg) => this.placement.hasCapacity(leg.bridgeId));
    if (region === undefined) return open[0];
    const near = open.find((leg) => this.placement.regionOf(leg.bridgeId) === region);
    return near ?? (this.placement.hasRoomIn(region, this.#unavailable()) ? undefined : open[0]);
  }

  /** Bridges a new leg may not go to: those the room is on, and those it was lost on. */
  #unavailable(): Set<string> {
    return new Set([...this.#lost, ...this.#legs.map((leg) => leg.bridgeId)]);
  }

  #join(peerId: string, member: Member, leg: Leg): Leg {
    member.leg = leg;
    leg.room.addPeer(peerId);
    const capabilities = this.#receiveCapabilities.get(peerId);
    if (capabilities) leg.room.setRtpCapabilities(peerId, capabilities);
    return leg;
  }

  /** Every leg is full (or the media is being placed again): wait for a leg that can take the participant. */
  async #assignLater(peerId: string, member: Member, region: string | undefined): Promise<Leg> {
    await this.#moving;
    const leg = this.#fittingLeg(region) ?? (await this.#openLeg(region));
    if (this.#members.get(peerId) !== member) throw new ProtocolError(ErrorCode.NotJoined, 'You have no media session in this room.');
    return this.#join(peerId, member, leg);
  }

  /** A new leg on another bridge (in `region` when there is one), one at a time per region; when none can be had, the least crowded leg. */
  #openLeg(region: string | undefined): Promise<Leg> {
    const key = region ?? '';
    const pending = this.#opening.get(key);
    if (pending) return pending;
    const opening = (async () => {
      const legs = this.#legs;
      try {
        const leg = await this.placement.place(this.#unavailable(), region);
        // The media moved while this leg was being placed: it belongs to nothing.
        if (this.#closed || this.#legs !== legs) {
          leg.room.close();
          throw roomMoving();
        }
        this.#legs.push(leg);
        this.#attach(leg);
        this.logger.info({ bridge: leg.bridgeId, legs: this.#legs.length }, 'the meeting now spans another media bridge');
        return leg;
      } catch (error) {
        const fallback = [...legs].sort((a, b) => this.peersOn(a.bridgeId) - this.peersOn(b.bridgeId))[0];
        if (!fallback || this.#legs !== legs) throw error;
        this.logger.warn({ err: error }, 'no other media bridge for a full one; it takes the participant anyway');
        return fallback;
      } finally {
        this.#opening.delete(key);
      }
    })();
    this.#opening.set(key, opening);
    return opening;
  }

  /** Makes `producerId` a producer on `to` as well, once. */
  #pipe(producerId: string, origin: Origin, to: Leg): Promise<void> {
    const existing = origin.copies.get(to);
    if (existing) return existing;
    const from = origin.leg;
    const done = (async () => {
      const ends = await this.#pipeBetween(from, to);
      const producer = await from.room.pipeOut(ends.get(from.bridgeId)!, producerId);
      await to.room.pipeIn(ends.get(to.bridgeId)!, producer);
    })();
    origin.copies.set(to, done);
    // A failed pipe is tried again by the next consumer that needs it.
    done.catch(() => {
      if (origin.copies.get(to) === done) origin.copies.delete(to);
    });
    return done;
  }

  /** The pipe between two legs' bridges, opened and connected both ways the first time. */
  #pipeBetween(a: Leg, b: Leg): Promise<Map<string, string>> {
    const key = [a.bridgeId, b.bridgeId].sort().join('|');
    let ends = this.#pipes.get(key);
    if (!ends) {
      ends = (async () => {
        const [endA, endB] = await Promise.all([a.room.openPipe(), b.room.openPipe()]);
        await Promise.all([a.room.connectPipe(endA.pipeId, endpoint(endB)), b.room.connectPipe(endB.pipeId, endpoint(endA))]);
        return new Map([
          [a.bridgeId, endA.pipeId],
          [b.bridgeId, endB.pipeId],
        ]);
      })();
      this.#pipes.set(key, ends);
      ends.catch(() => this.#pipes.delete(key));
    }
    return ends;
  }

  /** The producer is gone: its copies on other bridges close too (their consumers with them). */
  #forgetProducer(producerId: string): void {
    const origin = this.#origins.get(producerId);
    this.#origins.delete(producerId);
    if (!origin) return;
    for (const [leg, done] of origin.copies) {
      done.then(
        () => {
          if (!leg.room.closed && leg.room.producersOf(origin.peerId).some((p) => p.producerId === producerId)) leg.room.closeProducer(origin.peerId, producerId);
        },
        () => undefined,
      );
    }
  }

  #member(peerId: string): Member {
    const member = this.#members.get(peerId);
    if (!member) throw new ProtocolError(ErrorCode.NotJoined, 'You have no media session in this room.');
    return member;
  }

  #legOf(peerId: string): Promise<Leg> {
    return this.#member(peerId).ready;
  }

  /** The participant's leg when it is placed (for the synchronous commands). */
  #placedLeg(peerId: string): Leg {
    const leg = this.#member(peerId).leg;
    if (!leg) throw new ProtocolError(ErrorCode.NotFound, 'Your media is still being placed on a bridge; try again in a moment.');
    return leg;
  }

  #attach(leg: Leg): void {
    const current = () => this.#legs.includes(leg);
    leg.room.on('tapClosed', (tapId) => current() && this.emit('tapClosed', tapId));
    leg.room.on('consumerClosed', (peerId, consumerId) => current() && this.emit('consumerClosed', peerId, consumerId));
    leg.room.on('downlink', (peerId, estimate) => current() && this.emit('downlink', peerId, estimate));
    // Every leg hears every voice its participants receive; the first to notice a change tells.
    leg.room.on('dominantSpeaker', (peerId) => {
      if (!current() || peerId === this.#lastSpeaker) return;
      this.#lastSpeaker = peerId;
      this.emit('dominantSpeaker', peerId);
    });
    leg.room.once('closed', (reason) => {
      if (!current() || this.#closed || reason === 'closed') return;
      if (this.#legs.length > 1) this.#dropLeg(leg, reason);
      else this.#moving = this.#move(leg, reason);
    });
  }

  /** One of several legs' bridge went away: its participants are placed again, the other legs let go of it. */
  #dropLeg(lost: Leg, reason: string): void {
    this.#lost.add(lost.bridgeId);
    this.logger.warn({ bridge: lost.bridgeId, reason }, 'one of the meeting’s media bridges was lost; its participants move');
    this.#legs = this.#legs.filter((leg) => leg !== lost);
    // Closing the pipes to it closes, on the other legs, the copies of its producers and everyone's consumers of them.
    for (const [key, ends] of this.#pipes) {
      if (!key.split('|').includes(lost.bridgeId)) continue;
      this.#pipes.delete(key);
      void ends.then(
        (pipeIds) => {
          for (const leg of this.#legs) {
            const pipeId = pipeIds.get(leg.bridgeId);
            if (pipeId !== undefined) leg.room.closePipe(pipeId);
          }
        },
        () => undefined,
      );
    }
    for (const [producerId, origin] of this.#origins) {
      if (origin.leg === lost) this.#origins.delete(producerId);
      else origin.copies.delete(lost);
    }
    for (const [tapId, leg] of this.#taps) if (leg === lost) this.#taps.delete(tapId);
    const moved = [...this.#members].filter(([, member]) => member.leg === lost || member.leg === undefined);
    for (const [peerId, { placement }] of moved) {
      this.#members.delete(peerId);
      // The other legs held copies of its producers (gone with the pipes): it starts there afresh.
      for (const leg of this.#legs) leg.room.removePeer(peerId);
      this.addPeer(peerId, placement);
    }
    this.emit(
      'moved',
      reason,
      moved.map(([peerId]) => peerId),
    );
  }

  /** A leg's bridge went away: the media starts again on one new leg, and every participant is placed again. */
  async #move(lostLeg: Leg, reason: string): Promise<void> {
    this.#lost.add(lostLeg.bridgeId);
    this.logger.warn({ bridge: lostLeg.bridgeId, reason }, 'media bridge lost; moving the room’s media to another bridge');
    const legs = this.#legs;
    const members = [...this.#members].map(([peerId, { placement }]) => ({ peerId, placement }));
    this.#legs = [];
    for (const leg of legs) leg.room.close();
    this.#members.clear();
    this.#origins.clear();
    this.#pipes.clear();
    this.#taps.clear();
    let placed: Leg;
    try {
      placed = await this.placement.place(this.#lost);
    } catch (error) {
      this.logger.error({ err: error }, 'no other media bridge could take the room; its media ends');
      this.#closed = true;
      this.emit('closed', `${reason}, and no other media bridge could take the room`);
      return;
    }
    if (this.#closed) {
      placed.room.close();
      return;
    }
    this.#legs = [placed];
    this.#capabilities = placed.room.rtpCapabilities;
    this.#attach(placed);
    for (const { peerId, placement } of members) this.addPeer(peerId, placement);
    this.logger.info({ bridge: placed.bridgeId, peers: members.length }, 'room’s media moved; its browsers connect again');
    this.emit(
      'moved',
      reason,
      members.map(({ peerId }) => peerId),
    );
  }
}

function endpoint(end: PipeEndpoint): PipeEndpoint {
  return { ip: end.ip, port: end.port, srtpParameters: end.srtpParameters };
}

function roomMoving(): ProtocolError {
  return new ProtocolError(ErrorCode.MediaError, "This room's media is moving to another bridge; your browser reconnects in a moment.");
}
