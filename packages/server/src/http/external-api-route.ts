import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { MemoryFile } from './memory-file.js';

const require = createRequire(import.meta.url);

/**
 * GET /external_api.js: Jitsi's iframe API script, under the path Jitsi pages
 * already use. Served with a short cache so server upgrades reach embedders, and
 * with validators so revalidating costs a 304.
 */
export function registerExternalApiRoute(app: FastifyInstance): void {
  const script = new MemoryFile(readFileSync(require.resolve('@tertulia/iframe-api/external_api.js')), {
    type: 'application/javascript; charset=utf-8',
    cacheControl: 'public, max-age=300',
  });
  app.get('/external_api.js', async (request, reply) => script.send(request, reply));
}
