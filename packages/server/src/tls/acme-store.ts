import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { certificatePair, type CertificatePair } from './certificate-pair.js';

/**
 * The ACME account key and the certificate with its key, under
 * DATA_DIR/acme/<CA host>/: one folder per CA, so trying a setup on the staging CA
 * never leaves a staging certificate to be served once production is configured.
 * Everything is private to the server's user (files 0600, folders 0700) and
 * written whole or not at all (temporary file, then rename).
 */
export class AcmeStore {
  readonly directory: string;

  constructor(dataDir: string, directoryUrl: string, private readonly domain: string) {
    this.directory = join(resolve(dataDir), 'acme', new URL(directoryUrl).host.replace(/[^A-Za-z0-9.-]/g, '_'));
  }

  async accountKey(): Promise<Buffer | undefined> {
    return readOptional(join(this.directory, 'account.key'));
  }

  async saveAccountKey(key: Buffer): Promise<void> {
    await writePrivate(this.directory, 'account.key', key);
  }

  /** The stored certificate, or undefined when there is none or it is unusable (then it is obtained anew). */
  async certificate(logger: Logger): Promise<CertificatePair | undefined> {
    const folder = join(this.directory, this.domain);
    const [cert, key] = await Promise.all([readOptional(join(folder, 'cert.pem')), readOptional(join(folder, 'key.pem'))]);
    if (!cert || !key) return undefined;
    try {
      return certificatePair(cert.toString(), key.toString());
    } catch (error) {
      logger.warn({ err: error, folder }, 'the stored certificate is unusable; obtaining a new one');
      return undefined;
    }
  }

  async saveCertificate(pair: CertificatePair): Promise<void> {
    const folder = join(this.directory, this.domain);
    // Key first: a crash between the two leaves a pair that certificatePair() rejects, never a wrong key served.
    await writePrivate(folder, 'key.pem', pair.keyPem);
    await writePrivate(folder, 'cert.pem', pair.certPem);
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePrivate(folder: string, name: string, data: string | Buffer): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, join(folder, name));
}
