import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { CertificateError, certificatePair, type CertificatePair } from './certificate-pair.js';
import type { CertificateSource } from './certificate-source.js';

/** Changes to a pair of files come as several events (cert, then key; write, then rename): read once they settle. */
const SETTLE_MS = 300;

/**
 * TLS_CERT_FILE/TLS_KEY_FILE: certificates obtained elsewhere (certbot, a company CA).
 * The directories are watched, not the files, because renewers replace files by
 * renaming (certbot swaps symlinks), which a watch on the old file would miss.
 * A half-written pair (new certificate, old key) is skipped until the key follows.
 */
export class FileCertificates implements CertificateSource {
  #current: CertificatePair;
  readonly #watchers: FSWatcher[];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Reads and checks both files; throws with what is wrong so the server does not start without a usable certificate. */
  static async load(certFile: string, keyFile: string, logger: Logger): Promise<FileCertificates> {
    return new FileCertificates(certFile, keyFile, await readCertificatePair(certFile, keyFile), logger);
  }

  private constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    first: CertificatePair,
    private readonly logger: Logger,
  ) {
    this.#current = first;
    logger.info({ certFile, serial: first.serialNumber, notAfter: first.notAfter, names: first.names }, 'serving the certificate from TLS_CERT_FILE');
    const names = new Set([basename(certFile), basename(keyFile)]);
    const directories = [...new Set([dirname(certFile), dirname(keyFile)])];
    this.#watchers = directories.map((directory) =>
      watch(directory, (_event, file) => {
        if (file === null || names.has(file) || names.has(basename(file))) this.#scheduleReload();
      }),
    );
  }

  get current(): CertificatePair {
    return this.#current;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
  }

  #scheduleReload(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#reload(), SETTLE_MS);
  }

  async #reload(): Promise<void> {
    try {
      const pair = await readCertificatePair(this.certFile, this.keyFile);
      if (this.#closed || (pair.certPem === this.#current.certPem && pair.keyPem === this.#current.keyPem)) return;
      this.#current = pair;
      this.logger.info({ serial: pair.serialNumber, notAfter: pair.notAfter, names: pair.names }, 'certificate files changed: new connections get the new certificate');
    } catch (error) {
      this.logger.warn({ err: error }, 'certificate files changed but are not a usable pair (yet); still serving the previous certificate');
    }
  }
}

/** Reads and checks a certificate chain and its key from PEM files; errors name the settings (`settings`) they came from. */
export async function readCertificatePair(certFile: string, keyFile: string, settings = { cert: 'TLS_CERT_FILE', key: 'TLS_KEY_FILE' }): Promise<CertificatePair> {
  const read = async (file: string, setting: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new CertificateError(`cannot read ${setting} ${file}: ${(error as Error).message}`);
    }
  };
  const [certPem, keyPem] = await Promise.all([read(certFile, settings.cert), read(keyFile, settings.key)]);
  try {
    return certificatePair(certPem, keyPem);
  } catch (error) {
    throw new CertificateError(`${settings.cert} ${certFile} and ${settings.key} ${keyFile}: ${(error as Error).message}`);
  }
}
