import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './slapd.js';
import { until } from './wait.js';

const run = promisify(execFile);

export interface Nginx {
  /** The folder with nginx's config, pid file, logs and the certificate. */
  readonly dir: string;
  /** A self-signed certificate (PEM) for 127.0.0.1 and localhost, which nginx's TLS server presents. */
  readonly certificate: string;
  /** nginx's error log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Debian's nginx in the foreground with a prefix of its own: `site(paths)` returns what
 * goes inside `http { }` (server blocks, maps), given where the certificate and key are.
 * Resolves once nginx accepts connections on each of `ports` (127.0.0.1).
 * `mainContext` goes at the top of the config, outside `http { }` (load_module, rtmp { }).
 */
export async function startNginx(
  site: (paths: { dir: string; certificate: string; key: string }) => string,
  ports: number[],
  mainContext = '',
): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'tertulia-nginx-'));
  // nginx's workers run as nobody when the master is root: they must reach the temp folders.
  await chmod(dir, 0o755);
  const certificate = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', certificate,
  ]);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${join(dir, name)};`);
  const config = `${mainContext}
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
worker_processes 1;
events { worker_connections 256; }
http {
    access_log off;
${temp.join('\n')}
${site({ dir, certificate, key })}
}
`;
  await writeFile(join(dir, 'nginx.conf'), config);
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const log = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  const accepts = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  try {
    await until(
      async () => (child.exitCode === null ? (await Promise.all(ports.map(accepts))).every(Boolean) : 'exited'),
      (ready) => ready !== false,
      `nginx listening on ${ports.join(', ')}`,
    ).then((ready) => {
      if (ready === 'exited') throw new Error(`nginx exited (${child.exitCode}): ${stderr}\n${config}`);
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    dir,
    certificate: await readFile(certificate, 'utf8'),
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's nginx with the RTMP module on a free loopback port: a live-streaming server to push to. */
export async function startRtmpServer(): Promise<{ port: number; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const nginx = await startNginx(
    () => '',
    [port],
    `load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
rtmp { server { listen 127.0.0.1:${port}; application live { live on; record off; } } }`,
  );
  return { port, url: `rtmp://127.0.0.1:${port}/live/meeting-key`, stop: () => nginx.stop() };
}
