import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BASE = 'dc=example,dc=org';
export const PEOPLE = `ou=people,${BASE}`;
export const SERVICE_DN = `cn=tertulia,ou=services,${BASE}`;
export const SERVICE_PASSWORD = 'service-account-password';

/** A person in the test directory. */
export interface LdapUser {
  uid: string;
  password: string;
  cn: string;
  displayName?: string;
  mail?: string;
}

export interface Slapd {
  /** ldap://127.0.0.1:<port> (StartTLS available). */
  readonly url: string;
  /** ldaps://127.0.0.1:<port>. */
  readonly ldapsUrl: string;
  /** The CA that signed the server's certificate. */
  readonly caFile: string;
  /** A CA that did not: trusting only this one must make TLS fail. */
  readonly otherCaFile: string;
  stop(): Promise<void>;
}

/**
 * A real OpenLDAP (Debian's slapd) in the foreground on free loopback ports,
 * with its own slapd.conf, an mdb database loaded by slapadd, and a certificate
 * from a throw-away CA. It ignores any system slapd (its own config, ports and folder).
 */
export async function startSlapd(users: readonly LdapUser[]): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'tertulia-slapd-'));
  await mkdir(join(dir, 'db'));
  const caFile = await makeCertificates(dir);
  const [ldapPort, ldapsPort] = [await freePort(), await freePort()];
  await writeFile(join(dir, 'slapd.conf'), slapdConf(dir));
  await writeFile(join(dir, 'data.ldif'), directoryLdif(users));
  await run('/usr/sbin/slapadd', ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'data.ldif')]);

  const child = spawn(
    '/usr/sbin/slapd',
    ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${ldapPort}/ ldaps://127.0.0.1:${ldapsPort}/`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitForPort(ldapPort, child, () => output);
  return {
    url: `ldap://127.0.0.1:${ldapPort}`,
    ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`,
    caFile,
    otherCaFile: join(dir, 'other-ca.pem'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`slapd did not listen on ${port} within 15 s:\n${output()}`);
}

/** A CA, a server certificate for 127.0.0.1/localhost signed by it, and an unrelated CA. */
async function makeCertificates(dir: string): Promise<string> {
  const path = (name: string) => join(dir, name);
  const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  for (const [name, subject] of [['ca', 'Tertulia test CA'], ['other-ca', 'Somebody else']] as const) {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${subject}`, ...ca, '-keyout', path(`${name}.key`), '-out', path(`${name}.pem`)]);
  }
  await writeFile(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', path('server.key'), '-out', path('server.csr')]);
  await run('openssl', ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', path('server.ext'), '-out', path('server.pem')]);
  return path('ca.pem');
}

function slapdConf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key

database mdb
maxsize 10485760
suffix "${BASE}"
rootdn "cn=admin,${BASE}"
directory ${dir}/db
access to attrs=userPassword by self =xw by anonymous auth by * none
access to * by * read
`;
}

/** RFC 2307's salted SHA-1, the {SSHA} form slappasswd writes. */
function ssha(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function directoryLdif(users: readonly LdapUser[]): string {
  const entries = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=services,${BASE}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: tertulia\nuserPassword: ${ssha(SERVICE_PASSWORD)}`,
    ...users.map((user) =>
      [
        `dn: uid=${user.uid},${PEOPLE}`,
        'objectClass: inetOrgPerson',
        `uid: ${user.uid}`,
        `cn: ${user.cn}`,
        `sn: ${user.cn.split(' ').at(-1)}`,
        // Non-ASCII values are base64 in LDIF (`attr:: value`).
        ...(user.displayName ? [`displayName:: ${Buffer.from(user.displayName).toString('base64')}`] : []),
        ...(user.mail ? [`mail: ${user.mail}`] : []),
        `userPassword: ${ssha(user.password)}`,
      ].join('\n'),
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}
