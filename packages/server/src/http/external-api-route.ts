import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/**
 * GET /external_api.js: Jitsi's iframe API script, under the path Jitsi pages
 * already use. Served with a short cache so server upgrades reach embedders.
 */
export function registerExternalApiRoute(app: FastifyInstance): void {
  const script = readFileSync(require.resolve('@tertulia/iframe-api/external_api.js'), 'utf8');
  app.get('/external_api.js', async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script),
  );
}
