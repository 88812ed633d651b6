import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';

/** A certificate chain and its private key, checked to belong together, with what renewal and logs need to know. */
export interface CertificatePair {
  readonly certPem: string;
  readonly keyPem: string;
  readonly context: SecureContext;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuer: string;
  /** DNS names and IP addresses the leaf certificate is valid for. */
  readonly names: string[];
}

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
}

/** Parses a PEM chain (leaf first) and its key; throws CertificateError saying what is wrong with them. */
export function certificatePair(certPem: string, keyPem: string): CertificatePair {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certPem);
  } catch (error) {
    throw new CertificateError(`not a PEM certificate (${(error as Error).message})`);
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new CertificateError(`not a PEM private key (${(error as Error).message})`);
  }
  if (!leaf.checkPrivateKey(key)) throw new CertificateError('the private key does not belong to the certificate');
  return {
    certPem,
    keyPem,
    context: createSecureContext({ cert: certPem, key: keyPem }),
    serialNumber: leaf.serialNumber,
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    names: (leaf.subjectAltName ?? '')
      .split(', ')
      .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
      .filter(Boolean),
  };
}

const THIRTY_DAYS_MS = 30 * 86_400_000;

/**
 * When to renew: 30 days before expiry for Let's Encrypt's 90-day certificates, and
 * with a third of the lifetime left for shorter ones (6-day certificates, test CAs),
 * so there is always time to retry while the old one still serves.
 */
export function renewalTime(pair: Pick<CertificatePair, 'notBefore' | 'notAfter'>): Date {
  const lifetime = pair.notAfter.getTime() - pair.notBefore.getTime();
  return new Date(pair.notAfter.getTime() - Math.min(THIRTY_DAYS_MS, lifetime / 3));
}
