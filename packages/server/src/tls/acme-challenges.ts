import type { SecureContext } from 'node:tls';

const HTTP01_PREFIX = '/.well-known/acme-challenge/';

/**
 * Answers the CA is waiting for while a certificate is being obtained: HTTP-01
 * key authorizations served on the HTTP port, and TLS-ALPN-01 certificates
 * presented on the HTTPS port to connections that offer the acme-tls/1 protocol.
 */
export class AcmeChallenges {
  readonly #http01 = new Map<string, string>();
  readonly #tlsAlpn01 = new Map<string, SecureContext>();

  setHttp01(token: string, keyAuthorization: string): void {
    this.#http01.set(token, keyAuthorization);
  }

  deleteHttp01(token: string): void {
    this.#http01.delete(token);
  }

  setTlsAlpn01(domain: string, context: SecureContext): void {
    this.#tlsAlpn01.set(domain.toLowerCase(), context);
  }

  deleteTlsAlpn01(domain: string): void {
    this.#tlsAlpn01.delete(domain.toLowerCase());
  }

  /** The key authorization for an HTTP-01 request path, or undefined when the path is not an active challenge. */
  http01Response(path: string): string | undefined {
    if (!path.startsWith(HTTP01_PREFIX)) return undefined;
    return this.#http01.get(path.slice(HTTP01_PREFIX.length));
  }

  isHttp01Path(path: string): boolean {
    return path.startsWith(HTTP01_PREFIX);
  }

  tlsAlpn01Context(servername: string): SecureContext | undefined {
    return this.#tlsAlpn01.get(servername.toLowerCase());
  }
}
