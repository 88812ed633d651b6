// Setup steps shared by `npm start` and `npm test`. Plain Node (no dependencies):
// these run before node_modules exists. Each step skips itself when its inputs
// have not changed, so a second start is quick.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const WORKSPACES = ['protocol', 'media', 'cluster', 'server', 'loadtest', 'recorder', 'iframe-api', 'web', 'cli'];

/** Prints what a step does and how long it took. */
export async function step(title, run) {
  const started = performance.now();
  process.stdout.write(`▸ ${title}\n`);
  const detail = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`✓ ${title}${detail ? ` — ${detail}` : ''} (${seconds} s)\n`);
}

export function log(message) {
  process.stdout.write(`  ${message}\n`);
}

/** Runs a command with inherited output; rejects with a message naming the command. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`"${command} ${args.join(' ')}" failed (${signal ?? `exit ${code}`}).`));
    });
  });
}

function hashFiles(paths) {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(path);
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

/** Fingerprint of a tree by paths, sizes and mtimes: cheap, and enough to notice edits. */
function fingerprintTree(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
      }
    } else {
      hash.update(`${path}:${stats.size}:${stats.mtimeMs}\n`);
    }
  };
  paths.forEach(visit);
  return hash.digest('hex');
}

/** npm dependencies, installed again only when a package.json or the lock file changed. */
export async function installDependencies() {
  const stampPath = join(ROOT, 'node_modules', '.tertulia-install-stamp');
  const manifests = [
    join(ROOT, 'package.json'),
    join(ROOT, 'package-lock.json'),
    ...WORKSPACES.map((name) => join(ROOT, 'packages', name, 'package.json')),
  ];
  const stamp = hashFiles(manifests);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return 'up to date';
  // mediasoup's own postinstall would fetch a worker from GitHub; the worker step below does that, with a fallback.
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    env: { ...process.env, MEDIASOUP_WORKER_BIN: 'skip' },
  });
  writeFileSync(stampPath, stamp);
  return 'installed';
}

/** TypeScript packages (incremental), then the browser bundles (each only when its inputs changed). */
export async function build() {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-b', 'packages/cli', 'packages/iframe-api', 'packages/recorder']);
  linkCliCommand();
  const built = [];
  for (const bundle of ['iframe-api', 'web']) {
    if (await viteBuild(bundle)) built.push(bundle);
  }
  return built.length > 0 ? `bundled ${built.join(', ')}` : 'bundles up to date';
}

/**
 * `npx tertulia` runs node_modules/.bin/tertulia. npm links a bin only when its file
 * exists at install time, and in a fresh checkout the CLI is built after, so link it
 * here, and make it executable (tsc writes new files without the x bit).
 */
function linkCliCommand() {
  const main = join(ROOT, 'packages', 'cli', 'dist', 'main.js');
  chmodSync(main, 0o755);
  const link = join(ROOT, 'node_modules', '.bin', 'tertulia');
  try {
    lstatSync(link);
  } catch {
    symlinkSync('../@tertulia/cli/dist/main.js', link);
  }
}

/** Runs `vite build` in a package unless its sources (and those of the packages it bundles) are unchanged. */
async function viteBuild(name) {
  const dir = join(ROOT, 'packages', name);
  const stampPath = join(dir, 'dist', `.${name}-bundle-stamp`);
  const stamp = fingerprintTree([
    join(dir, 'src'),
    join(dir, 'public'),
    join(dir, 'index.html'),
    join(dir, 'vite.config.ts'),
    join(dir, 'package.json'),
    join(ROOT, 'packages', 'protocol', 'src'),
    join(ROOT, 'packages', 'iframe-api', 'src'),
    // This file: a change in how bundles are made (precompression) rebuilds them.
    fileURLToPath(import.meta.url),
  ]);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return false;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dir });
  if (name === 'web') precompress(join(dir, 'dist'));
  writeFileSync(stampPath, stamp);
  return true;
}

/** Text files the server sends precompressed (@fastify/static's preCompressed); index.html is compressed in memory. */
const COMPRESSIBLE = /\.(?:js|css|svg|json|map|txt)$/;

/**
 * Writes a .br (maximum quality) and a .gz next to each compressible file of a bundle,
 * once at build time, so the server never compresses per request. Skipped where
 * compression would not make the file smaller.
 */
function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const content = readFileSync(path);
    const br = brotliCompressSync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY } });
    const gz = gzipSync(content, { level: 9 });
    if (br.length < content.length) writeFileSync(`${path}.br`, br);
    if (gz.length < content.length) writeFileSync(`${path}.gz`, gz);
  }
}

/** Debian packages: installed when missing and we are root, otherwise the exact command is printed. */
export async function ensureDebianPackages(packages, why) {
  const missing = packages.filter((name) => !debianPackageInstalled(name));
  if (missing.length === 0) return 'present';
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`${why} needs Debian packages that are missing. Run:\n    sudo ${command}\nthen try again.`);
  }
  log(`installing ${missing.join(', ')} from apt`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  } catch {
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  }
  return `installed ${missing.join(', ')}`;
}

function debianPackageInstalled(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .includes('install ok installed');
  } catch {
    return false;
  }
}
