// `npm test`: install what the tests need (Debian chromium included), build, and run every test.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureMediasoupWorker } from './setup/mediasoup-worker.mjs';
import { RECORDER_DEBIAN_PACKAGES } from './setup/recorder-packages.mjs';
import { ROOT, build, ensureDebianPackages, installDependencies, log, run, step } from './setup/steps.mjs';

/** The build checks the server packages' types; Vite and tsx do not, so check the browser code and the tests here. */
async function typecheck() {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', 'packages/web', '--noEmit']);
  await run(process.execPath, [tsc, '-p', 'tests']);
}

try {
  await step('npm dependencies', installDependencies);
  await step('mediasoup worker', () => ensureMediasoupWorker({ log }));
  await step(
    'test browsers, Prometheus, OpenLDAP, coturn, nginx, network namespaces, ffmpeg, Janus, an ACME CA, GStreamer and nginx-rtmp for the recorder, Redis for scale-out (Debian chromium, firefox-esr, prometheus, slapd, ldap-utils, coturn, nginx, iproute2, nftables, ffmpeg, janus, pebble, libnss3-tools, gstreamer1.0-*, libnginx-mod-rtmp, redis-server)',
    () =>
      ensureDebianPackages(
        ['chromium', 'firefox-esr', 'prometheus', 'slapd', 'ldap-utils', 'coturn', 'nginx', 'iproute2', 'nftables', 'ffmpeg', 'janus', 'pebble', 'libnss3-tools', ...RECORDER_DEBIAN_PACKAGES, 'libnginx-mod-rtmp', 'redis-server'],
        'The browser, metrics, LDAP, TURN, reverse-proxy, connectivity, load-tool, HTTPS, recording and scale-out tests',
      ),
  );
  await step('build', build);
  await step('typecheck (web client and tests)', typecheck);
} catch (error) {
  process.stderr.write(`\n✗ Setup failed: ${error.message}\n`);
  process.exit(1);
}

/** Test files: co-located unit tests in packages/*\/src and end-to-end tests in tests/. */
function findTests(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return entry.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

const filter = process.argv[2];
const files = [...findTests(join(ROOT, 'packages')), ...findTests(join(ROOT, 'tests'))].filter(
  (file) => !filter || file.includes(filter),
);
if (files.length === 0) {
  process.stderr.write(`✗ No test files match "${filter}".\n`);
  process.exit(1);
}
try {
  // One file at a time: browser tests each start their own server and Chromium, and the machine may have 2 cores.
  await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]);
} catch {
  process.exit(1);
}
