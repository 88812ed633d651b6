import type { MediaBridge } from '@tertulia/media';
import type { Logger } from 'pino';
import { Room } from './room.js';

/** The live rooms, by key (the case-folded name). A room is created by its first join and dropped with its last leave. */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();
  readonly #bridge: MediaBridge;
  readonly #logger: Logger;
  /** Rooms ever created and finished, since start (for stats). */
  created = 0;
  finished = 0;

  constructor(bridge: MediaBridge, logger: Logger) {
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
    const room = new Room(key, name, media, logger);
    this.#rooms.set(key, room);
    this.created += 1;
    const finish = (): void => {
      if (this.#rooms.get(key) !== room) return;
      this.#rooms.delete(key);
      this.finished += 1;
      room.close();
      logger.info({ seconds: Math.round((Date.now() - room.startedAt) / 1000) }, 'room finished');
    };
    room.once('empty', finish);
    media.once('closed', (reason) => {
      if (reason !== 'closed') logger.warn({ reason }, 'room media lost; participants will reconnect');
      finish();
    });
    logger.info('room started');
    return room;
  }
}
