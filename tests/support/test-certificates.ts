import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

/**
 * A private CA made with openssl in `dir` (ca.pem, ca.key), for certificates no
 * public CA would sign: pebble's own listener, a deployment's "certificate from
 * elsewhere". Trust it with NODE_EXTRA_CA_CERTS=<dir>/ca.pem or ca: [it].
 */
export class TestCa {
  readonly caFile: string;
  readonly #caKey: string;

  private constructor(private readonly dir: string) {
    this.caFile = join(dir, 'ca.pem');
    this.#caKey = join(dir, 'ca.key');
  }

  static async create(dir: string): Promise<TestCa> {
    const ca = new TestCa(dir);
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=Tertulia test CA', '-keyout', ca.#caKey, '-out', ca.caFile]);
    return ca;
  }

  /** A leaf certificate for `names` (DNS names or IPv4 addresses), written as <name>.pem and <name>.key. */
  async issue(name: string, names: string[], days = 2): Promise<TestCertificate> {
    const keyFile = join(this.dir, `${name}.key`);
    const certFile = join(this.dir, `${name}.pem`);
    const csr = join(this.dir, `${name}.csr`);
    const extensions = join(this.dir, `${name}.ext`);
    const san = names.map((entry) => (/^\d+\.\d+\.\d+\.\d+$/.test(entry) ? `IP:${entry}` : `DNS:${entry}`)).join(',');
    await writeFile(extensions, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', keyFile, '-out', csr]);
    await run('openssl', ['x509', '-req', '-in', csr, '-CA', this.caFile, '-CAkey', this.#caKey, '-CAcreateserial', '-days', String(days), '-extfile', extensions, '-out', certFile]);
    return { certFile, keyFile };
  }
}
