import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RestForwarding } from '../cluster/rest-forwarding.js';
import { requireBearer, type ApiAuthenticator } from '../http/auth.js';
import { jsonErrors, jsonNotFound } from '../http/error-reply.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { meetingsHere, registerRoomActions, runHere } from './room-actions.js';

export interface RestApiOptions {
  registry: RoomRegistry;
  auth: ApiAuthenticator;
  /** With several signalling nodes: answers for the meetings other nodes hold. */
  forwarding?: RestForwarding | undefined;
}

/**
 * The server REST API for integrators (`/api/v1`), on the ops listener and, with
 * OPS_TOKEN, on the public port. Every request needs an API key, or a Jitsi token
 * that makes its holder moderator of the room in question. Bad input is refused before
 * anything changes. With several nodes any of them answers for the whole deployment: a
 * meeting held elsewhere is acted on by its holder, whose answer is passed on unchanged.
 */
export const restApi: FastifyPluginAsync<RestApiOptions> = async (app, { registry, auth, forwarding }) => {
  jsonErrors(app);
  jsonNotFound(app);
  // A token is checked against the room in the path; listing all rooms needs one for every room.
  const roomKeyOf = (request: FastifyRequest) => {
    const name = (request.params as { room?: unknown }).room;
    return typeof name === 'string' ? name.normalize('NFC').toLowerCase() : '*';
  };
  app.addHook('preHandler', requireBearer('API key or token', async (credential, request) => (await auth.authenticate(credential, roomKeyOf(request))) !== undefined));

  app.get('/rooms', async () => {
    const here = meetingsHere(registry);
    return forwarding ? forwarding.meetingsEverywhere(here) : { rooms: here };
  });

  registerRoomActions(app, async (request, reply, target, work) => {
    if (!forwarding || registry.isOpen(target.key)) return runHere(registry, target, work);
    const holder = await forwarding.holder(target.key);
    if (!holder) return runHere(registry, target, work);
    const answer = await forwarding.forward(holder, { method: request.method, path: request.url.slice(app.prefix.length), body: request.body });
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
};
