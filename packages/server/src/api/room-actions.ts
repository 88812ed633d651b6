import { ErrorCode, MediaKind, ProtocolError, checkRoomName, type BreakoutRoom, type Participant as ParticipantInfo } from '@tertulia/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Room } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/room-registry.js';

/*
 * What the REST API can do to one meeting, in one place: the public routes (`/api/v1`) and
 * the endpoint by which another signalling node asks the meeting's holder (`/cluster/v1`)
 * both register these, and differ only in where the action runs.
 */

export interface RoomView {
  name: string;
  startedAt: number;
  /** Who is in the main room. */
  participants: Array<ParticipantInfo & { connected: boolean }>;
  /** The meeting's breakout rooms and who is in each. */
  breakoutRooms: BreakoutRoom[];
}

/** The room a request is about, checked: `key` is what the registry and the leases know it by. */
export interface RoomTarget {
  key: string;
  display: string;
}

/** What to do to the meeting once it is found; its result is the JSON answer. */
export type RoomWork = (room: Room) => unknown;

/**
 * Runs a checked request: `target` and `work` come from input that was valid (bad input is
 * answered 400 before this is called, so nothing is forwarded or changed).
 */
export type RoomActionRunner = (request: FastifyRequest, reply: FastifyReply, target: RoomTarget, work: RoomWork) => Promise<unknown>;

interface RoomAction {
  method: 'GET' | 'POST';
  /** After `/rooms/:room`. */
  path: string;
  /** Checks the action's own input (400 when bad) and says what it does. */
  prepare(request: FastifyRequest): RoomWork;
}

// Path parameters come from the router; only bodies need to be strict.
const RoomParams = z.object({ room: z.string() });
const ParticipantParams = z.object({ id: z.string().min(1).max(64) });
const MuteAllBody = z.strictObject({ kind: MediaKind });

// `by` is null: the server, not a participant, acted.
const ROOM_ACTIONS: readonly RoomAction[] = [
  { method: 'GET', path: '', prepare: () => roomView },
  {
    method: 'POST',
    path: '/participants/:id/kick',
    prepare: (request) => {
      const { id } = parse(ParticipantParams, request.params);
      return (room) => {
        // The meeting's participant, whether in the main room or one of its breakout rooms.
        const where = room.breakouts.locate(id);
        if (!where) throw new ProtocolError(ErrorCode.NotFound, `No participant "${id}" in this meeting.`);
        where.room.kick(id, null);
        return { kicked: id };
      };
    },
  },
  {
    method: 'POST',
    path: '/mute-all',
    prepare: (request) => {
      const { kind } = parse(MuteAllBody, request.body ?? {});
      return async (room) => ({ muted: await room.muteAll(kind, null) });
    },
  },
  {
    method: 'POST',
    path: '/end',
    prepare: () => (room) => {
      const participants = room.breakouts.everyone().length;
      room.end(null);
      return { ended: room.name, participants };
    },
  },
];

/** Registers `/rooms/:room...` for every action, each checked and then handed to `run`. */
export function registerRoomActions(app: FastifyInstance, run: RoomActionRunner): void {
  for (const action of ROOM_ACTIONS) {
    app.route({
      method: action.method,
      url: `/rooms/:room${action.path}`,
      handler: async (request, reply) => {
        const target = roomTarget(request.params);
        const work = action.prepare(request);
        return run(request, reply, target, work);
      },
    });
  }
}

/** Does `work` to the meeting when it runs on this node; 404 otherwise. */
export async function runHere(registry: RoomRegistry, target: RoomTarget, work: RoomWork): Promise<unknown> {
  const room = registry.get(target.key);
  if (!room || room.closed) throw new ProtocolError(ErrorCode.NotFound, `No meeting is running in room "${target.display}".`);
  return work(room);
}

/** The meetings running on this node. A breakout room is part of its main room's meeting, so not listed. */
export function meetingsHere(registry: RoomRegistry): RoomView[] {
  return registry.rooms().filter((room) => !room.breakout).map(roomView);
}

function roomTarget(params: unknown): RoomTarget {
  const { room: name } = parse(RoomParams, params);
  const check = checkRoomName(name);
  if (!check.ok) throw new ProtocolError(ErrorCode.InvalidRoomName, check.reason);
  return { key: check.key, display: check.display };
}

function roomView(room: Room): RoomView {
  return {
    name: room.name,
    startedAt: room.startedAt,
    participants: room.participants().map((participant) => ({ ...room.describe(participant), connected: participant.connected })),
    breakoutRooms: room.breakouts.list(),
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw new ProtocolError(ErrorCode.InvalidRequest, detail);
}
