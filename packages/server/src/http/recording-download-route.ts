import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RecordingLinks } from '../recording/recording-links.js';

export interface RecordingDownloads {
  links: RecordingLinks;
  /** JIBRI_RECORDING_DIR, absolute. */
  dir: string;
}

/**
 * `GET /recordings/<session>/<file>?expires=…&sig=…`: a finished recording, for
 * whoever holds the signed link a moderator was given. Anything else (a forged or
 * expired link, another file) is a plain 404, telling nothing about what exists.
 */
export function registerRecordingDownloadRoute(app: FastifyInstance, { links, dir }: RecordingDownloads): void {
  app.get<{ Params: { session: string; file: string }; Querystring: { expires?: string; sig?: string } }>(
    '/recordings/:session/:file',
    async (request, reply) => {
      const { session, file } = request.params;
      if (!links.verify(session, file, request.query.expires, request.query.sig)) {
        return reply.code(404).type('text/plain; charset=utf-8').send('No such recording, or the link has expired. Ask a moderator for a new one.');
      }
      reply.header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'private, no-store');
      // sendFile serves ranges too, so a player can seek in a long recording.
      return reply.sendFile(file, join(dir, session));
    },
  );
}
