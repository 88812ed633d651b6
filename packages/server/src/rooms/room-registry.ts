import { EventEmitter } from 'node:events';
import type { MediaBridge } from '@tertulia/media';
import type { Logger } from 'pino';
import type { Participant } from './participant.js';
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

/** The live rooms, by key (the case-folded name). A room is created by its first join and dropped with its last leave. */
export class RoomRegistry extends EventEmitter<RegistryEvents> {
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();
  readonly #bridge: MediaBridge;
  readonly #logger: Logger;
  readonly totals: RoomTotals = { created: 0, finished: 0, participants: 0, conferenceSeconds: 0 };

  constructor(
    bridge: MediaBridge,
    logger: Logger,
    private readonly roomOptions: RoomOptions = DEFAULT_ROOM_OPTIONS,
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

  /** The live room for `key`, creating it (and its media) if needed. Concurrent first joins share one creation. */
  async open(key: string, name: string): Promise<Room> {
    const existing = this.#rooms.get(key);
    if (existing && !existing.closed) return existing;
    const pending = this.#creating.get(key);
    if (pending) return pending;

    const creation = this.#create(key, name).finally(() => this.#creating.delete(key));
    this.#creating.set(key, creation);
    return creation;
  }

  /** Closes every room (server shutdown). */
  closeAll(): void {
    for (const room of this.#rooms.values()) room.close();
    this.#rooms.clear();
  }

  async #create(key: string, name: string): Promise<Room> {
    const media = await this.#bridge.createRoom(key);
    const logger = this.#logger.child({ room: key });
    const room = new Room(key, name, media, logger, this.roomOptions);
    this.#rooms.set(key, room);
    this.totals.created += 1;
    room.on('participantJoined', (participant) => {
      this.totals.participants += 1;
      this.emit('participantJoined', room, participant);
    });
    room.on('participantLeft', (participant, reason) => this.emit('participantLeft', room, participant, reason));
    const finish = (): void => {
      if (this.#rooms.get(key) !== room) return;
      this.#rooms.delete(key);
      room.close();
      const seconds = Math.round((Date.now() - room.startedAt) / 1000);
      this.totals.finished += 1;
      this.totals.conferenceSeconds += seconds;
      logger.info({ seconds }, 'room finished');
      this.emit('roomFinished', room);
    };
    room.once('empty', finish);
    media.once('closed', (reason) => {
      if (reason !== 'closed') logger.warn({ reason }, 'room media lost; participants will reconnect');
      finish();
    });
    logger.info('room started');
    this.emit('roomStarted', room);
    return room;
  }
}
