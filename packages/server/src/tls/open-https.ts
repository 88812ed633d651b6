import { directory } from 'acme-client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config, HttpsMode } from '../config.js';
import { AcmeCertificates } from './acme-certificates.js';
import type { AcmeChallenges } from './acme-challenges.js';
import type { CertificateSource } from './certificate-source.js';
import { FileCertificates } from './file-certificates.js';
import type { HttpsFront } from './https-front.js';

/**
 * Brings Tertulia's own HTTPS up: certificate files are read before any port is
 * taken (a wrong path stops the start); for ACME both ports are bound first,
 * because the CA validates through them, and this resolves once a certificate is
 * being served.
 */
export async function openHttps(
  app: FastifyInstance,
  front: HttpsFront,
  mode: Exclude<HttpsMode, { kind: 'off' }>,
  config: Config,
  challenges: AcmeChallenges,
  logger: Logger,
): Promise<CertificateSource> {
  const tlsLogger = logger.child({ component: 'tls' });
  const files = mode.kind === 'files' ? await FileCertificates.load(mode.certFile, mode.keyFile, tlsLogger) : undefined;
  try {
    await app.ready();
    await front.listen();
    const source =
      files ??
      (await AcmeCertificates.start({
        domain: mode.kind === 'acme' ? mode.domain : '',
        email: config.LETSENCRYPT_EMAIL,
        directoryUrl: config.LETSENCRYPT_ACME_SERVER ?? (config.LETSENCRYPT_USE_STAGING ? directory.letsencrypt.staging : directory.letsencrypt.production),
        dataDir: config.DATA_DIR,
        challenges,
        logger: tlsLogger,
      }));
    front.serve(source);
    return source;
  } catch (error) {
    files?.close();
    await front.close();
    throw error;
  }
}
