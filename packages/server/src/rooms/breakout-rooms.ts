import { randomBytes } from 'node:crypto';
import { ErrorCode, Limits, ProtocolError, type BreakoutRoom } from '@tertulia/protocol';
import type { Participant } from './participant.js';
import type { Room } from './room.js';

/** Makes a breakout room (a Room with its own media router) for the meeting; the registry provides it. */
export type BreakoutOpener = (main: Room, id: string, name: string) => Promise<Room>;

/** Where a room stands in its meeting: the main room (which opens breakout rooms), or one of its breakout rooms. */
export type RoomPlace = { openBreakout: BreakoutOpener } | { breakoutOf: Room; id: string; name: string };

interface Breakout {
  id: string;
  name: string;
  room: Room;
}

/** Someone in the meeting and the room they are in. */
export interface Whereabouts {
  room: Room;
  participant: Participant;
}

/**
 * A meeting's breakout rooms, owned by its main room and shared with the breakout
 * rooms themselves. Each breakout is a Room of its own, with its own router, so
 * media never crosses between rooms. Moving someone keeps their session (id, role,
 * token, hand, chat mute): the old room's others see them leave, the new room's see
 * them join, and their connection follows them. An empty breakout room stays until removed.
 */
export class BreakoutRooms {
  readonly #rooms = new Map<string, Breakout>();
  /** Rooms being opened count against the limit too. */
  #opening = 0;
  #created = 0;

  constructor(
    private readonly main: Room,
    private readonly open: BreakoutOpener,
  ) {}

  /** The rooms and who is in each, as every participant of the meeting sees them. */
  list(): BreakoutRoom[] {
    return [...this.#rooms.values()].map(({ id, name, room }) => ({
      id,
      name,
      participants: room.participants().map((p) => ({ id: p.id, displayName: p.displayName })),
    }));
  }

  rooms(): Room[] {
    return [...this.#rooms.values()].map((b) => b.room);
  }

  /** Everyone in the meeting: the main room first, then each breakout room. */
  everyone(): Whereabouts[] {
    return [this.main, ...this.rooms()].flatMap((room) => room.participants().map((participant) => ({ room, participant })));
  }

  /** The room (main or breakout) a participant of the meeting is in. */
  locate(participantId: string): Whereabouts | undefined {
    for (const room of [this.main, ...this.rooms()]) {
      const participant = room.participant(participantId);
      if (participant) return { room, participant };
    }
    return undefined;
  }

  async create(name: string | undefined): Promise<BreakoutRoom> {
    if (this.#rooms.size + this.#opening >= Limits.maxBreakoutRooms) {
      throw new ProtocolError(ErrorCode.InvalidRequest, `A meeting has at most ${Limits.maxBreakoutRooms} breakout rooms; remove one first.`);
    }
    const id = randomBytes(4).toString('hex');
    const breakout = { id, name: name ?? `Breakout room ${++this.#created}` };
    this.#opening += 1;
    let room: Room;
    try {
      room = await this.open(this.main, id, breakout.name);
    } finally {
      this.#opening -= 1;
    }
    if (this.main.closed) {
      room.close();
      throw new ProtocolError(ErrorCode.NotFound, 'The meeting has ended.');
    }
    this.#rooms.set(id, { ...breakout, room });
    // A room whose media failed is gone; so is whoever leaves the meeting from a breakout room.
    room.once('closed', () => {
      if (this.#rooms.get(id)?.room !== room) return;
      this.#rooms.delete(id);
      this.changed();
    });
    room.on('participantLeft', () => this.changed());
    this.changed();
    return { ...breakout, participants: [] };
  }

  /** Removes a room; whoever is in it goes back to the main room. */
  remove(roomId: string): void {
    const { room } = this.#require(roomId);
    for (const participant of room.participants()) this.#move(participant, room, this.main);
    this.#rooms.delete(roomId);
    room.close();
    this.changed();
  }

  /** Everyone in one breakout room, or in all of them, back to the main room; the rooms stay. */
  sendBack(roomId: string | undefined): void {
    const rooms = roomId === undefined ? this.rooms() : [this.#require(roomId).room];
    for (const room of rooms) for (const participant of room.participants()) this.#move(participant, room, this.main);
    this.changed();
  }

  /** Spreads the main room's participants (moderators stay) over the breakout rooms, the emptiest first, in random order. */
  autoAssign(): void {
    const rooms = this.rooms();
    if (rooms.length === 0) throw new ProtocolError(ErrorCode.InvalidRequest, 'There are no breakout rooms to assign people to.');
    const people = shuffle(this.main.participants().filter((p) => p.role !== 'moderator'));
    for (const participant of people) {
      const emptiest = rooms.reduce((best, room) => (room.size < best.size ? room : best));
      this.#move(participant, this.main, emptiest);
    }
    this.changed();
  }

  /** Moves a participant of the meeting to a breakout room, or to the main room with null. */
  sendTo(participantId: string, roomId: string | null): void {
    const where = this.locate(participantId);
    if (!where) throw new ProtocolError(ErrorCode.NotFound, `No participant "${participantId}" in this meeting.`);
    const to = roomId === null ? this.main : this.#require(roomId).room;
    if (to === where.room) return;
    this.#move(where.participant, where.room, to);
    this.changed();
  }

  /** Tells everyone in the meeting, whichever room they are in, what the breakout rooms look like now. */
  changed(): void {
    if (this.main.closed) return;
    const rooms = this.list();
    for (const { participant } of this.everyone()) participant.notify('breakoutRoomsUpdated', { rooms });
  }

  /** The meeting is over: its breakout rooms close with it. */
  /** `handedOver`: the meeting goes on on another node, so nobody leaves (see Room.close). */
  dispose(handedOver = false): void {
    const rooms = this.rooms();
    this.#rooms.clear();
    for (const room of rooms) room.close(handedOver);
  }

  #move(participant: Participant, from: Room, to: Room): void {
    from.release(participant);
    to.admit(participant);
    participant.movedTo(to);
  }

  #require(roomId: string): Breakout {
    const breakout = this.#rooms.get(roomId);
    if (!breakout) throw new ProtocolError(ErrorCode.NotFound, `No breakout room "${roomId}" in this meeting.`);
    return breakout;
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
