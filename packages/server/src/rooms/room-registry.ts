import { EventEmitter } from 'node:events';
import type { MediaBridge, MediaRoom } from '@tertulia/media';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { BreakoutOpener, RoomPlace } from './breakout-rooms.js';
import type { Participant } from './participant.js';
import type { RoomHandoff } from './room-handoff.js';
import { DEFAULT_ROOM_OPTIONS, Room, type RoomOptions, type LeaveReason } from './room.js';

/** Room lifecycle as seen from outside (webhooks, later audit logs). Listeners must not throw. */
export type RegistryEvents = {
  roomStarted: [room: Room];
  roomFinished: [room: Room];
  participantJoined: [room: Room, participant: Participant];
  participantLeft: [room: Room, participant: Participant, reason: LeaveReason];
};

/** Counts since start, for stats. */
export interface RoomTotals {
  created: number;
  finished: number;
  /** Participants that joined (a resumed session is not a new one). */
  participants: number;
  /** Sum of the durations of finished rooms, whole seconds. */
  conferenceSeconds: number;
}

/** How many rooms this server takes on, and whether it takes new meetings at all right now. */
export interface RoomCapacity {
  /** MAX_ROOMS: rooms with media, breakout rooms included. */
  maxRooms: number;
  /** True while the media workers are overloaded: no new meetings (running ones go on, breakout rooms too). */
  overloaded(): boolean;
}

const UNLIMITED: RoomCapacity = { maxRooms: Infinity, overloaded: () => false };

/** Meetings other nodes handed to this one (several signalling nodes): a meeting opened here may continue one. */
export interface HandoffSource {
  /** The meeting handed over under `key`, taken (no other node gets it), or undefined. */
  take(key: string): Promise<RoomHandoff | undefined>;
  /** How long its people have to resume their sessions here (RECONNECT_GRACE_SECONDS). */
  readonly graceMs: number;
}

/** The live rooms, by key (the case-folded name). A room is created by its first join and dropped with its last leave. */
export class RoomRegistry extends EventEmitter<RegistryEvents> {
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();
  /** Rooms (main or breakout) whose media is being made: they count against MAX_ROOMS already. */
  #opening = 0;
  readonly #bridge: MediaBridge;
  readonly #logger: Logger;
  readonly totals: RoomTotals = { created: 0, finished: 0, participants: 0, conferenceSeconds: 0 };
  handoffs: HandoffSource | undefined;

  constructor(
    bridge: MediaBridge,
    logger: Logger,
    private readonly roomOptions: RoomOptions = DEFAULT_ROOM_OPTIONS,
    private readonly capacity: RoomCapacity = UNLIMITED,
  ) {
    super();
    this.#bridge = bridge;
    this.#logger = logger;
  }

  get(key: string): Room | undefined {
    return this.#rooms.get(key);
  }

  rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  /** Whether a join to `key` finds its meeting running (or being opened) rather than opening it. */
  isOpen(key: string): boolean {
    return this.#creating.has(key) || this.#rooms.get(key)?.closed === false;
  }

  /**
   * The live room for `key`, creating it (and its media) if needed. Concurrent first joins
   * share one creation. A new meeting is refused (SERVER_BUSY) while the server is overloaded.
   */
  async open(key: string, name: string): Promise<Room> {
    const existing = this.#rooms.get(key);
    if (existing && !existing.closed) return existing;
    const pending = this.#creating.get(key);
    if (pending) return pending;
    if (this.capacity.overloaded()) {
      throw new ProtocolError(ErrorCode.ServerBusy, 'This server is busy and starts no new meetings right now; try again in a few minutes.');
    }

    const creation = this.#create(key, name, { openBreakout: this.#openBreakout }).finally(() => this.#creating.delete(key));
    this.#creating.set(key, creation);
    return creation;
  }

  /**
   * The meeting goes on on another node (this one drains): it leaves this registry without
   * finishing, and its browsers reconnect, to resume their sessions there.
   */
  handOver(room: Room): void {
    for (const key of [room.key, ...room.breakouts.rooms().map((breakout) => breakout.key)]) this.#rooms.delete(key);
    room.close(true);
  }

  /** Closes every room (server shutdown). */
  closeAll(): void {
    for (const room of this.#rooms.values()) room.close();
    this.#rooms.clear();
  }

  /** A meeting's breakout rooms live under `<main key>/<id>`, which no URL reaches (room names have no "/"). */
  readonly #openBreakout: BreakoutOpener = (main, id, name) => this.#create(`${main.key}/${id}`, main.name, { breakoutOf: main, id, name });

  /**
   * Stats count a breakout room as a conference of its own, as JVB does (it has its own
   * router). Webhooks report meetings: a breakout room has no room_started/room_finished,
   * its participants' events name the main room, and moving between rooms is no join or leave.
   */
  async #create(key: string, name: string, place: RoomPlace): Promise<Room> {
    if (this.#rooms.size + this.#opening >= this.capacity.maxRooms) {
      throw new ProtocolError(ErrorCode.ServerBusy, `This server has as many rooms as it takes (${this.capacity.maxRooms}); try again later.`);
    }
    this.#opening += 1;
    let media: MediaRoom;
    let handedOver: RoomHandoff | undefined;
    try {
      media = await this.#bridge.createRoom(key);
      try {
        if (!('breakoutOf' in place)) handedOver = await this.handoffs?.take(key);
      } catch (error) {
        media.close();
        throw error;
      }
    } finally {
      this.#opening -= 1;
    }
    const logger = this.#logger.child({ room: key });
    const room = new Room(key, name, media, logger, this.roomOptions, place);
    if (handedOver) {
      room.restore(handedOver, this.handoffs!.graceMs);
      logger.info({ participants: handedOver.participants.length }, 'meeting taken over from another node');
    }
    const meeting = room.main;
    this.#rooms.set(key, room);
    this.totals.created += 1;
    room.on('participantJoined', (participant) => {
      this.totals.participants += 1;
      this.emit('participantJoined', meeting, participant);
    });
    room.on('participantLeft', (participant, reason) => this.emit('participantLeft', meeting, participant, reason));
    const finish = (): void => {
      if (this.#rooms.get(key) !== room) return;
      this.#rooms.delete(key);
      room.close();
      const seconds = Math.round((Date.now() - room.startedAt) / 1000);
      this.totals.finished += 1;
      this.totals.conferenceSeconds += seconds;
      logger.info({ seconds }, 'room finished');
      if (!room.breakout) this.emit('roomFinished', room);
    };
    room.once('empty', finish);
    // A breakout room is closed by its meeting (removed, or the meeting over) rather than emptied.
    if (room.breakout) room.once('closed', finish);
    media.once('closed', (reason) => {
      if (reason !== 'closed') logger.warn({ reason }, 'room media lost; participants will reconnect');
      finish();
    });
    logger.info('room started');
    // A meeting taken over from another node is no new meeting.
    if (!room.breakout && !handedOver) this.emit('roomStarted', room);
    return room;
  }
}
