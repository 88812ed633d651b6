import { checkRoomName, type RoomNotice } from '@tertulia/protocol';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../signalling/connection.js';

export const ROOM_NOTICE_PATH = '/api/room-notice/:room';

/**
 * `GET /api/room-notice/<room>`: what someone about to join should know (the
 * meeting is being recorded or streamed). It tells no more than joining would,
 * and says the same of a room that does not exist as of one nobody records.
 */
export function registerRoomNoticeRoute(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { room: string } }>(ROOM_NOTICE_PATH, async (request, reply) => {
    const name = checkRoomName(request.params.room);
    if (!name.ok) return reply.code(400).send({ error: name.reason });
    const room = context.registry.get(name.key);
    const notice: RoomNotice = { recordings: room ? context.recordings.roomInfo(room).recordings.map((recording) => recording.mode) : [] };
    return reply.header('cache-control', 'no-store').send(notice);
  });
}
