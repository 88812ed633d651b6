import { lookup } from 'node:dns/promises';
import { get as httpsGet } from 'node:https';
import { networkInterfaces } from 'node:os';
import { createSecureContext } from 'node:tls';
import * as acme from 'acme-client';
import type { Logger } from 'pino';
import type { AcmeChallenges } from './acme-challenges.js';
import { AcmeStore } from './acme-store.js';
import { certificatePair, renewalTime, type CertificatePair } from './certificate-pair.js';
import type { CertificateSource } from './certificate-source.js';
import { AcmeFailure, describeAcmeFailure, type AcmeStage } from './acme-failure.js';

export interface AcmeOptions {
  domain: string;
  email: string | undefined;
  directoryUrl: string;
  dataDir: string;
  challenges: AcmeChallenges;
  logger: Logger;
}

/** setTimeout's longest delay (about 24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const CHALLENGE_TYPES = ['http-01', 'tls-alpn-01'] as const;
type ChallengeType = (typeof CHALLENGE_TYPES)[number];

// Retries are ours (with backoff and a log line each), not hidden inside the HTTP client.
(acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }).acmeSettings.retryMaxAttempts = 0;

/**
 * ENABLE_LETSENCRYPT: obtains the certificate for one domain over ACME and renews
 * it before it expires, without a restart (the HTTPS server takes `current` for
 * each new connection). HTTP-01 is tried first; when the CA cannot reach the HTTP
 * port, TLS-ALPN-01 on the HTTPS port. A failed attempt is retried with backoff
 * while the last good certificate keeps serving.
 */
export class AcmeCertificates implements CertificateSource {
  #current: CertificatePair | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;
  readonly #store: AcmeStore;

  private constructor(private readonly options: AcmeOptions) {
    this.#store = new AcmeStore(options.dataDir, options.directoryUrl, options.domain);
  }

  /**
   * Resolves once there is a certificate to serve: the stored one, or a new one
   * (retrying while the CA is unreachable). Throws AcmeFailure on what a retry
   * cannot fix, such as a domain that does not resolve at all.
   */
  static async start(options: AcmeOptions): Promise<AcmeCertificates> {
    const certificates = new AcmeCertificates(options);
    await certificates.#begin();
    return certificates;
  }

  get current(): CertificatePair | undefined {
    return this.#current;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #begin(): Promise<void> {
    const { logger, domain, directoryUrl } = this.options;
    const stored = await this.#store.certificate(logger);
    if (stored && stored.notAfter.getTime() > Date.now()) {
      this.#current = stored;
      logger.info({ domain, serial: stored.serialNumber, notAfter: stored.notAfter }, 'serving the stored certificate');
      this.#scheduleAt(renewalTime(stored));
      return;
    }
    await checkDomainResolves(domain, logger);
    logger.info({ domain, ca: directoryUrl }, 'obtaining a certificate over ACME');
    while (!this.#closed) {
      try {
        await this.#renew();
        return;
      } catch (error) {
        const delay = this.#retryDelay(error);
        logger.error({ domain, retryInSeconds: Math.round(delay / 1000) }, `could not obtain a certificate yet: ${describeAcmeFailure(error, domain)}`);
        await new Promise((resolve) => (this.#timer = setTimeout(resolve, delay)));
      }
    }
  }

  #scheduleAt(when: Date): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    const wait = Math.max(0, when.getTime() - Date.now());
    this.#timer = setTimeout(() => (wait > MAX_TIMER_MS ? this.#scheduleAt(when) : void this.#renewInBackground()), Math.min(wait, MAX_TIMER_MS));
    this.#timer.unref();
  }

  async #renewInBackground(): Promise<void> {
    const { logger, domain } = this.options;
    logger.info({ domain, notAfter: this.#current?.notAfter }, 'renewing the certificate');
    try {
      await this.#renew();
    } catch (error) {
      const delay = this.#retryDelay(error);
      logger.error(
        { domain, retryInSeconds: Math.round(delay / 1000), servingUntil: this.#current?.notAfter },
        `certificate renewal failed, still serving the current certificate: ${describeAcmeFailure(error, domain)}`,
      );
      this.#scheduleAt(new Date(Date.now() + delay));
    }
  }

  /** Obtains, stores and switches to a new certificate, trying each challenge type in turn. */
  async #renew(): Promise<void> {
    const { logger, domain } = this.options;
    const started = Date.now();
    let lastError: unknown;
    for (const type of CHALLENGE_TYPES) {
      try {
        const pair = await this.#obtain(type);
        if (this.#closed) return;
        await this.#store.saveCertificate(pair);
        this.#current = pair;
        this.#failures = 0;
        logger.info(
          { domain, challenge: type, serial: pair.serialNumber, notAfter: pair.notAfter, tookMs: Date.now() - started },
          'certificate obtained: new connections get it',
        );
        this.#scheduleAt(renewalTime(pair));
        return;
      } catch (error) {
        lastError = error;
        if (!(error instanceof AcmeFailure && error.kind === 'validation')) break;
        if (type === 'http-01') logger.warn({ domain, reason: error.message }, 'the CA could not validate over HTTP (port 80 closed?); trying TLS-ALPN-01 on the HTTPS port');
      }
    }
    throw lastError;
  }

  async #obtain(type: ChallengeType): Promise<CertificatePair> {
    const { domain, email, challenges, directoryUrl } = this.options;
    const ask = <T>(stage: AcmeStage, request: () => Promise<T>) => step(directoryUrl, stage, request);
    const client = await this.#client();
    await ask('account', () => client.createAccount({ termsOfServiceAgreed: true, ...(email ? { contact: [`mailto:${email}`] } : {}) }));
    const order = await ask('order', () => client.createOrder({ identifiers: [{ type: 'dns', value: domain }] }));
    for (const authz of await ask('authorization', () => client.getAuthorizations(order))) {
      if (authz.status === 'valid') continue;
      const challenge = authz.challenges.find((candidate) => candidate.type === type);
      if (!challenge) throw new AcmeFailure('validation', `the CA offers no ${type} challenge`);
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
      if (type === 'http-01') {
        challenges.setHttp01((challenge as { token: string }).token, keyAuthorization);
      } else {
        const [key, cert] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization);
        challenges.setTlsAlpn01(domain, createSecureContext({ key, cert }));
      }
      try {
        await ask('challenge', () => client.completeChallenge(challenge));
        await ask('validation', () => client.waitForValidStatus(challenge));
      } finally {
        if (type === 'http-01') challenges.deleteHttp01((challenge as { token: string }).token);
        else challenges.deleteTlsAlpn01(domain);
      }
    }
    const key = await acme.crypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acme.crypto.createCsr({ commonName: domain, altNames: [domain] }, key);
    const finalized = await ask('order', () => client.finalizeOrder(order, csr));
    const chain = await ask('order', () => client.getCertificate(finalized));
    return certificatePair(chain, key.toString());
  }

  async #client(): Promise<acme.Client> {
    let accountKey = await this.#store.accountKey();
    if (!accountKey) {
      accountKey = await acme.crypto.createPrivateEcdsaKey('P-256');
      await this.#store.saveAccountKey(accountKey);
    }
    return new acme.Client({ directoryUrl: this.options.directoryUrl, accountKey, backoffMin: 1000, backoffMax: 10_000, backoffAttempts: 12 });
  }

  /**
   * Backoff: seconds for an unreachable CA, minutes for a refusal (failed validation,
   * rate limit), which repeated quickly would only use up the CA's limits.
   */
  #retryDelay(error: unknown): number {
    this.#failures += 1;
    const base = error instanceof AcmeFailure && error.kind !== 'unreachable' ? 5 * 60_000 : 5_000;
    return Math.min(6 * 3_600_000, base * 2 ** (this.#failures - 1));
  }
}

/**
 * Runs one ACME request, turning what fails into an AcmeFailure of the right kind.
 * acme-client reports a CA it cannot reach as a TypeError from inside its HTTP
 * client, so a failure without a CA answer is checked against the directory itself.
 */
async function step<T>(directoryUrl: string, stage: AcmeStage, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const failure = AcmeFailure.from(error, stage);
    const unreachable = failure.kind === 'refused' ? await unreachableReason(directoryUrl) : undefined;
    throw unreachable ? new AcmeFailure('unreachable', unreachable, { cause: error }) : failure;
  }
}

/** Why the ACME directory cannot be fetched (a network error code, or an HTTP status), or undefined when it can. */
function unreachableReason(directoryUrl: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = httpsGet(directoryUrl, { timeout: 10_000 }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode >= 500 ? `HTTP ${response.statusCode}` : undefined);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A domain that does not resolve cannot be validated: say so before asking the CA, which counts failures. */
async function checkDomainResolves(domain: string, logger: Logger): Promise<void> {
  const local = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal)
    .map((info) => info!.address);
  let addresses: string[];
  try {
    addresses = (await lookup(domain, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw new AcmeFailure(
      'dns',
      `LETSENCRYPT_DOMAIN ${domain} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
        `Create a DNS A record for ${domain} pointing at this machine's public address (this machine has ${local.join(', ') || 'no public address'}), ` +
        `wait until \`getent hosts ${domain}\` shows it, then start Tertulia again.`,
    );
  }
  if (!addresses.some((address) => local.includes(address))) {
    logger.warn(
      { domain, resolvesTo: addresses, thisMachine: local },
      'LETSENCRYPT_DOMAIN resolves to addresses this machine does not have: fine behind 1:1 NAT, otherwise fix the DNS record or the CA will fail to validate',
    );
  }
}
