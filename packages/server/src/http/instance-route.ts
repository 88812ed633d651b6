import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Made once per process, so a check that reaches an address can tell it reached this very server. */
export const INSTANCE_ID = randomUUID();

/** What the instance route answers; `tertulia doctor` and the start-up check look for it. */
export interface InstanceAnswer {
  server: 'tertulia';
  instance: string;
}

export const INSTANCE_PATH = '/.well-known/tertulia/instance';

/** `GET /.well-known/tertulia/instance`: tells a checker that an address (a DNS answer, a NAT'd public IP) leads to a Tertulia server. */
export function registerInstanceRoute(app: FastifyInstance): void {
  app.get(INSTANCE_PATH, async (_request, reply) => {
    const answer: InstanceAnswer = { server: 'tertulia', instance: INSTANCE_ID };
    return reply.header('cache-control', 'no-store').send(answer);
  });
}
