import { ErrorCode, MediaKind, ProtocolError, checkRoomName, type BreakoutRoom, type Participant as ParticipantInfo } from '@tertulia/protocol';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireBearer, type ApiAuthenticator } from '../http/auth.js';
import { jsonErrors, jsonNotFound } from '../http/error-reply.js';
import type { Room } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/room-registry.js';

export interface RestApiOptions {
  registry: RoomRegistry;
  auth: ApiAuthenticator;
}

export interface RoomView {
  name: string;
  startedAt: number;
  /** Who is in the main room. */
  participants: Array<ParticipantInfo & { connected: boolean }>;
  /** The meeting's breakout rooms and who is in each. */
  breakoutRooms: BreakoutRoom[];
}

// Path parameters come from the router; only bodies need to be strict.
const RoomParams = z.object({ room: z.string() });
const ParticipantParams = z.object({ id: z.string().min(1).max(64) });
const MuteAllBody = z.strictObject({ kind: MediaKind });

/**
 * The server REST API for integrators (`/api/v1`), on the ops listener and, with
 * OPS_TOKEN, on the public port. Every request needs an API key, or a Jitsi token
 * that makes its holder moderator of the room in question. Actions run
 * through the same Room methods moderators will use; `by` is null because the
 * server, not a participant, acted. Bad input is refused before anything changes.
 */
export const restApi: FastifyPluginAsync<RestApiOptions> = async (app, { registry, auth }) => {
  jsonErrors(app);
  jsonNotFound(app);
  // A token is checked against the room in the path; listing all rooms needs one for every room.
  const roomKeyOf = (request: FastifyRequest) => {
    const name = (request.params as { room?: unknown }).room;
    return typeof name === 'string' ? name.normalize('NFC').toLowerCase() : '*';
  };
  app.addHook('preHandler', requireBearer('API key or token', async (credential, request) => (await auth.authenticate(credential, roomKeyOf(request))) !== undefined));

  const roomOf = (params: unknown): Room => {
    const { room: name } = parse(RoomParams, params);
    const check = checkRoomName(name);
    if (!check.ok) throw new ProtocolError(ErrorCode.InvalidRoomName, check.reason);
    const room = registry.get(check.key);
    if (!room || room.closed) throw new ProtocolError(ErrorCode.NotFound, `No meeting is running in room "${check.display}".`);
    return room;
  };

  // Meetings only: a breakout room is part of its main room's meeting.
  app.get('/rooms', async () => ({ rooms: registry.rooms().filter((room) => !room.breakout).map(roomView) }));

  app.get('/rooms/:room', async (request) => roomView(roomOf(request.params)));

  app.post('/rooms/:room/participants/:id/kick', async (request) => {
    const room = roomOf(request.params);
    const { id } = parse(ParticipantParams, request.params);
    // The meeting's participant, whether in the main room or one of its breakout rooms.
    const where = room.breakouts.locate(id);
    if (!where) throw new ProtocolError(ErrorCode.NotFound, `No participant "${id}" in this meeting.`);
    where.room.kick(id, null);
    return { kicked: id };
  });

  app.post('/rooms/:room/mute-all', async (request) => {
    const room = roomOf(request.params);
    const { kind } = parse(MuteAllBody, request.body ?? {});
    return { muted: await room.muteAll(kind, null) };
  });

  app.post('/rooms/:room/end', async (request) => {
    const room = roomOf(request.params);
    const participants = room.breakouts.everyone().length;
    room.end(null);
    return { ended: room.name, participants };
  });
};

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
