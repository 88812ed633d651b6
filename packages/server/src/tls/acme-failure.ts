/** Why an ACME attempt failed; the kind decides how soon to retry and what to tell the operator. */
export type AcmeFailureKind = 'unreachable' | 'validation' | 'rate-limit' | 'dns' | 'refused';
/** The step of the protocol a request belonged to, for the message. */
export type AcmeStage = 'account' | 'order' | 'authorization' | 'challenge' | 'validation';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EPIPE']);

export class AcmeFailure extends Error {
  override readonly name = 'AcmeFailure';

  constructor(
    readonly kind: AcmeFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Classifies what acme-client (or its HTTP client) threw at a stage of the protocol. */
  static from(error: unknown, stage: AcmeStage): AcmeFailure {
    if (error instanceof AcmeFailure) return error;
    const { code, response, message } = error as { code?: string; response?: { status?: number }; message?: string };
    const detail = message ?? String(error);
    if (code !== undefined && (NETWORK_CODES.has(code) || /CERT|SELF_SIGNED|VERIFY/.test(code))) {
      return new AcmeFailure('unreachable', `${code}${/CERT|SELF_SIGNED|VERIFY/.test(code) ? ' (the CA\'s HTTPS certificate is not trusted)' : ''}`, { cause: error });
    }
    if (response?.status !== undefined && response.status >= 500) return new AcmeFailure('unreachable', `HTTP ${response.status}`, { cause: error });
    if (response?.status === 429 || /rate.?limit|too many/i.test(detail)) return new AcmeFailure('rate-limit', detail, { cause: error });
    if (stage === 'validation') return new AcmeFailure('validation', detail, { cause: error });
    return new AcmeFailure('refused', `${stage}: ${detail}`, { cause: error });
  }
}

/** One sentence for the log: what went wrong and what to do about it. */
export function describeAcmeFailure(error: unknown, domain: string): string {
  if (!(error instanceof AcmeFailure)) return (error as Error).message ?? String(error);
  switch (error.kind) {
    case 'unreachable':
      return `the ACME CA is unreachable (${error.message}); check this machine's outbound HTTPS and DNS. Retrying with backoff.`;
    case 'validation':
      return `the CA could not validate ${domain} (${error.message}). Check that ${domain} points at this machine and that ports 80 and 443 are open to the internet (\`npx tertulia doctor\` checks both). Retrying in a few minutes.`;
    case 'rate-limit':
      return `the CA's rate limit was reached (${error.message}). Tertulia retries later; while trying a setup out, use LETSENCRYPT_USE_STAGING=1.`;
    case 'dns':
      return error.message;
    case 'refused':
      return `the CA refused the request (${error.message}).`;
  }
}
