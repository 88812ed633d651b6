import type { CertificatePair } from './certificate-pair.js';

/** Where the HTTPS server takes its certificate from, per handshake, so a renewed one is used without a restart. */
export interface CertificateSource {
  /** The certificate served now; undefined until the first one is obtained. */
  readonly current: CertificatePair | undefined;
  /** Stops watching or renewing. Idempotent. */
  close(): void;
}
