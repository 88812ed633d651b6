import { ErrorCode } from '@tertulia/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { meetingsHere, registerRoomActions, runHere } from '../api/room-actions.js';
import { jsonErrors, jsonNotFound, sendError } from '../http/error-reply.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { CLUSTER_REST_HEADER } from './cluster-rest-auth.js';
import type { RestForwarding } from './rest-forwarding.js';

export interface ClusterRestEndpointOptions {
  registry: RoomRegistry;
  forwarding: RestForwarding;
}

/**
 * `/cluster/v1` on the public listener: the REST actions of `/api/v1`, run on the meetings
 * this node holds, for another signalling node of the deployment. No API key is asked for
 * (the calling node checked the integrator's); instead every request must be signed with
 * BRIDGE_SECRET for exactly this action, and anything else is refused before it is looked at.
 */
export const clusterRestEndpoint: FastifyPluginAsync<ClusterRestEndpointOptions> = async (app, { registry, forwarding }) => {
  jsonErrors(app);
  jsonNotFound(app);
  app.addHook('preHandler', async (request, reply) => {
    if (forwarding.verify(request.headers[CLUSTER_REST_HEADER], { method: request.method, path: request.url, body: request.body })) return;
    return sendError(reply, {
      code: ErrorCode.Unauthorized,
      message: 'Only the signalling nodes of this deployment (sharing BRIDGE_SECRET) may call this endpoint; integrators use /api/v1 with an API key.',
    });
  });

  app.get('/rooms', async () => ({ rooms: meetingsHere(registry) }));
  registerRoomActions(app, async (_request, _reply, target, work) => runHere(registry, target, work));
};
