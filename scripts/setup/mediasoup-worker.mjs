// Ensures mediasoup's native `mediasoup-worker` binary is installed.
//
// Why this exists: mediasoup's npm postinstall downloads a prebuilt worker
// from GitHub releases and, failing that, builds it with meson/ninja fetched
// from PyPI and C++ dependencies fetched from GitHub/wrapdb. Some of our
// machines reach only the npm registry and Debian's apt mirrors, so the
// project installs with MEDIASOUP_WORKER_BIN=skip (postinstall does nothing)
// and this script provides the binary instead:
//
//   1. already installed and runnable  -> nothing to do (fast path);
//   2. found in the user cache         -> copy it in;
//   3. mediasoup's prebuilt download   -> the normal path with internet;
//   4. build the C++ sources shipped in the npm tarball against Debian's
//      libraries (about 6 minutes on 2 cores).
//
// The source build works on a temporary copy of `mediasoup/worker` and patches
// it so it builds with Debian 12 instead of mediasoup's pinned dependencies:
//   - meson.build asks for meson >= 1.1; Debian 12 has 1.0.1, which works.
//   - every subprojects/*.wrap (a download recipe) becomes a local stub
//     subproject returning the Debian library under the same variable names,
//     so mediasoup's own meson.build stays untouched.
//   - mediasoup 3.16-3.18 is written against libsrtp 3 (`<srtp.h>`); Debian
//     ships libsrtp 2.5, so a small `srtp.h` shim maps the few calls that
//     differ onto libsrtp 2.
//   - src/RTC/DtlsTransport.cpp compares the BIO callback operation with `==`
//     where a bit test is meant; with Debian's kTLS-enabled OpenSSL that makes
//     the worker crash on a browser's first DTLS ClientHello.
// Each patch asserts that it matched, so a newer mediasoup fails loudly here
// instead of silently building something unpatched.
//
// Usage: `await ensureMediasoupWorker({ log })` from the setup code, or
// `node scripts/setup/mediasoup-worker.mjs`. TERTULIA_ROOT (or the `root`
// option) overrides the project root, which is otherwise two levels up.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

// Bump whenever the build recipe below changes: it invalidates cached builds.
const RECIPE_VERSION = 1;

const PREBUILT_CONNECT_TIMEOUT_MS = 20_000;
const PREBUILT_BODY_TIMEOUT_MS = 180_000;
const PROGRESS_INTERVAL_MS = 15_000;

// Debian packages needed to build. The -dev ones are also what the binary
// links against, so their versions are part of the cache key.
const TOOL_PACKAGES = ['g++', 'meson', 'ninja-build', 'pkg-config', 'flatbuffers-compiler'];
const LIB_PACKAGES = [
  'libuv1-dev',
  'libssl-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
];

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));

export async function ensureMediasoupWorker({
  log = console.log,
  root = process.env.TERTULIA_ROOT || path.resolve(SCRIPT_DIR, '..', '..'),
} = {}) {
  const say = (msg) => log(`mediasoup worker: ${msg}`);
  const ms = locateMediasoup(root);

  warnAboutWorkerBinEnv(say);

  if (isRunnableWorker(ms.target)) {
    say(`ready (mediasoup ${ms.version})`);
    return ms.target;
  }
  if (fs.existsSync(ms.target)) {
    say(`${ms.target} does not run on this host (missing libraries?), replacing it`);
  }

  const started = Date.now();
  say(`not installed for mediasoup ${ms.version}, looking for it`);

  const cacheBase = cacheRoot();
  const prebuiltCache = path.join(cacheBase, `${ms.version}-prebuilt`, 'mediasoup-worker');

  if (restoreFromCache(prebuiltCache, ms.target, say)) return ms.target;
  if (restoreFromCache(sourceBuildCachePath(cacheBase, ms.version), ms.target, say)) {
    return ms.target;
  }

  if (await downloadPrebuilt(ms, prebuiltCache, say)) {
    installFromCache(prebuiltCache, ms.target);
    say(`installed prebuilt binary in ${formatDuration(Date.now() - started)}`);
    return ms.target;
  }
  say('prebuilt worker not reachable, building from source');

  await ensureBuildPackages(say);
  // Recomputed: installing packages may have changed the library versions.
  const sourceCache = sourceBuildCachePath(cacheBase, ms.version);
  await buildFromSource(ms, sourceCache, say);
  installFromCache(sourceCache, ms.target);
  say(`built from source in ${formatDuration(Date.now() - started)} (cached at ${sourceCache})`);
  return ms.target;
}

// ---------------------------------------------------------------------------
// Locating mediasoup and checking binaries

function locateMediasoup(root) {
  const { dir, pkg } = resolvePackage(root, 'mediasoup');

  return {
    dir,
    pkg,
    version: pkg.version,
    workerDir: path.join(dir, 'worker'),
    target: path.join(dir, 'worker', 'out', 'Release', 'mediasoup-worker'),
  };
}

// mediasoup's "exports" map doesn't list package.json (so resolving
// 'mediasoup/package.json' throws); resolve its entry point and walk up.
function resolvePackage(root, name) {
  const require = createRequire(path.join(root, 'package.json'));
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pkgJsonPath = path.join(dir, 'package.json');
    if (fs.existsSync(pkgJsonPath)) {
      const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
      if (pkg.name === name) return { dir, pkg };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = parent;
  }
}

// mediasoup uses MEDIASOUP_WORKER_BIN at run time too, so a leftover `skip`
// from `npm install` would make it try to spawn a program called "skip".
function warnAboutWorkerBinEnv(say) {
  const bin = process.env.MEDIASOUP_WORKER_BIN;
  if (bin && !isExecutable(bin)) {
    say(`warning: MEDIASOUP_WORKER_BIN=${bin} is set but is not an executable; unset it at run time`);
  }
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// mediasoup's own check: run without MEDIASOUP_VERSION, expect exit code 41.
// It also catches binaries whose shared libraries are gone or incompatible.
function isRunnableWorker(file) {
  if (!isExecutable(file)) return false;
  const res = spawnSync(file, [], { env: {}, stdio: 'ignore', timeout: 5_000 });
  return res.status === 41;
}

// ---------------------------------------------------------------------------
// Cache

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tertulia', 'mediasoup-worker');
}

function sourceBuildCachePath(cacheBase, version) {
  const libs = dpkgVersions(LIB_PACKAGES);
  const fingerprint = [
    `recipe=${RECIPE_VERSION}`,
    `arch=${process.arch}`,
    ...LIB_PACKAGES.map((name) => `${name}=${libs.get(name) ?? 'missing'}`),
  ].join('\n');
  const hash = createHash('sha256').update(fingerprint).digest('hex').slice(0, 12);
  return path.join(cacheBase, `${version}-${hash}`, 'mediasoup-worker');
}

function restoreFromCache(cached, target, say) {
  if (!isRunnableWorker(cached)) return false;
  const started = Date.now();
  installFromCache(cached, target);
  say(`restored from cache ${cached} in ${formatDuration(Date.now() - started)}`);
  return true;
}

function installFromCache(cached, target) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  atomicCopy(cached, target);
}

// Write next to the destination, then rename: readers never see half a file.
function atomicCopy(from, to) {
  const tmp = `${to}.tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, to);
}

function atomicWrite(to, data) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data, { mode: 0o755 });
  if (!isRunnableWorker(tmp)) {
    fs.rmSync(tmp, { force: true });
    return false;
  }
  fs.renameSync(tmp, to);
  return true;
}

// ---------------------------------------------------------------------------
// Prebuilt download: the same URL mediasoup's npm-scripts.mjs postinstall
// fetches (its script can't run only the download: on failure it goes on to
// build with pip). The tarball holds just the `mediasoup-worker` file.

function prebuiltUrl({ pkg, version }) {
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  let name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}`;
  if (os.platform() === 'linux') {
    name += `-kernel${Number(os.release().split('.')[0])}`;
  }
  return `${base}/${version}/${name}.tgz`;
}

async function downloadPrebuilt(ms, cachePath, say) {
  const url = prebuiltUrl(ms);
  const started = Date.now();
  say(`trying prebuilt binary ${url}`);

  try {
    const tgz = await fetchWithTimeouts(url);
    const binary = extractSingleFile(zlib.gunzipSync(tgz), 'mediasoup-worker');
    if (!atomicWrite(cachePath, binary)) {
      say('prebuilt binary does not run on this host');
      return false;
    }
    say(`downloaded prebuilt binary in ${formatDuration(Date.now() - started)}`);
    return true;
  } catch (err) {
    say(`prebuilt download failed after ${formatDuration(Date.now() - started)}: ${describeError(err)}`);
    return false;
  }
}

async function fetchWithTimeouts(url) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), PREBUILT_CONNECT_TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: controller.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), PREBUILT_BODY_TIMEOUT_MS);
    return Buffer.from(await res.arrayBuffer());
  } finally {
    clearTimeout(timer);
  }
}

// Minimal ustar reader: enough for a tarball written by node-tar.
function extractSingleFile(tar, wanted) {
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;

    const name = cString(header, 0, 100);
    const prefix = cString(header, 345, 155);
    const size = parseInt(cString(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const dataStart = offset + 512;

    if (type === '0' && path.posix.basename(prefix ? `${prefix}/${name}` : name) === wanted) {
      return tar.subarray(dataStart, dataStart + size);
    }
    offset = dataStart + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in tarball`);
}

function cString(buf, start, length) {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

// ---------------------------------------------------------------------------
// Debian build dependencies

function dpkgVersions(packages) {
  const res = spawnSync(
    'dpkg-query',
    ['-W', '-f=${Package} ${Version} ${db:Status-Abbrev}\n', ...packages],
    { encoding: 'utf8' },
  );
  const versions = new Map();
  for (const line of (res.stdout ?? '').split('\n')) {
    const [name, version, status] = line.split(' ');
    if (status?.startsWith('ii')) versions.set(name.replace(/:.*$/, ''), version);
  }
  return versions;
}

async function ensureBuildPackages(say) {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) {
    say('dpkg-query not found (not Debian?); assuming build dependencies are installed');
    return;
  }

  const wanted = [...TOOL_PACKAGES, ...LIB_PACKAGES];
  const installed = dpkgVersions(wanted);
  const missing = wanted.filter((name) => !installed.has(name));
  if (missing.length === 0) return;

  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the mediasoup worker must be built from source and these Debian packages are missing.\n` +
        `Install them and run setup again:\n\n  sudo ${command}\n`,
    );
  }

  const started = Date.now();
  say(`installing Debian packages: ${missing.join(' ')}`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-q', ...missing], { env: aptEnv });
  try {
    await install();
  } catch {
    say('apt-get install failed, running apt-get update and retrying');
    await run('apt-get', ['update', '-q'], { env: aptEnv });
    await install();
  }
  say(`installed Debian packages in ${formatDuration(Date.now() - started)}`);
}

// ---------------------------------------------------------------------------
// Source build

async function buildFromSource(ms, cachePath, say) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tertulia-mediasoup-worker-'));
  const stopCleanupOnSignal = cleanupOnSignal(tmp);
  try {
    const src = path.join(tmp, 'worker');
    const out = path.join(tmp, 'build');

    let started = Date.now();
    copyWorkerSources(ms.workerDir, src);
    patchWorkerSources(src);
    say(`prepared patched sources in ${formatDuration(Date.now() - started)}`);

    started = Date.now();
    await run('meson', mesonSetupArgs(out), { cwd: src });
    say(`configured with meson in ${formatDuration(Date.now() - started)}`);

    started = Date.now();
    say('compiling (takes several minutes: about 6 on 2 cores)');
    // The generated FBS/*.h headers must exist before any C++ compiles.
    // `meson compile` maps target names to ninja's and streams its [n/m] lines.
    await run('meson', ['compile', '-C', out, 'flatbuffers-generator']);
    await run('meson', ['compile', '-C', out, 'mediasoup-worker'], {
      onLine: progressReporter(say),
    });
    say(`compiled in ${formatDuration(Date.now() - started)}`);

    const built = path.join(out, 'mediasoup-worker');
    if (!atomicWrite(cachePath, fs.readFileSync(built))) {
      throw new Error(`the built ${built} does not run (expected exit code 41)`);
    }
  } finally {
    stopCleanupOnSignal();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Ctrl-C during the long build: stop the compiler and remove the temporary
// tree, then let the signal take its normal course.
function cleanupOnSignal(dir) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handler = (signal) => {
    stop();
    for (const child of runningChildren) killGroup(child, signal);
    fs.rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  const stop = () => signals.forEach((s) => process.off(s, handler));
  signals.forEach((s) => process.on(s, handler));
  return stop;
}

function copyWorkerSources(from, to) {
  // Skip build outputs and downloads a previous postinstall may have left.
  const skip = new Set(['out', 'prebuild', 'pip_invoke', path.join('subprojects', 'packagecache')]);
  fs.cpSync(from, to, {
    recursive: true,
    filter: (file) => !skip.has(path.relative(from, file)),
  });
}

function mesonSetupArgs(out) {
  return [
    'setup',
    '--buildtype', 'release',
    '-Db_ndebug=true',
    '-Db_pie=true',
    '-Db_staticpic=true',
    // Debian 12's liburing 2.3 lacks functions mediasoup's io_uring code uses.
    '-Dms_disable_liburing=true',
    // Every dependency must come from our stubs; never try the network.
    '--wrap-mode=nodownload',
    out,
  ];
}

function patchWorkerSources(src) {
  replaceOnce(
    path.join(src, 'meson.build'),
    /meson_version\s*:\s*'>=\s*[\d.]+'/,
    "meson_version: '>= 1.0.0'",
  );
  replaceOnce(
    path.join(src, 'src', 'RTC', 'DtlsTransport.cpp'),
    '(operationType == BIO_CB_RETURN)',
    '(operationType & BIO_CB_RETURN)',
  );
  replaceWrapsWithStubs(path.join(src, 'subprojects'));
}

function replaceOnce(file, search, replacement) {
  const text = fs.readFileSync(file, 'utf8');
  const count =
    typeof search === 'string'
      ? text.split(search).length - 1
      : (text.match(new RegExp(search.source, 'g')) ?? []).length;
  if (count !== 1) {
    throw new Error(
      `patch for ${path.basename(file)} expected exactly one match of ${search}, found ${count}; ` +
        `this mediasoup version needs an updated build recipe in ${fileURLToPath(import.meta.url)}`,
    );
  }
  fs.writeFileSync(file, text.replace(search, replacement));
}

// ---------------------------------------------------------------------------
// Stub subprojects: one per wrap file, each handing a Debian library to
// mediasoup's meson.build under the variable names the wrap provides.
//
// `vars` maps each variable to a meson expression (`'*'`: every other
// variable the wrap lists); `options` declares the subproject options
// mediasoup passes (ignored by the stubs). Besides the wrap's
// [provide] names, mediasoup's meson.build reads `*_lib` variables for the
// `link_whole` of its libmediasoup-worker target (not built by us); we hand it
// empty lists there, as Debian's libraries are shared.

const ABSEIL_MODULES = [
  'absl_flat_hash_map',
  'absl_flat_hash_set',
  'absl_btree',
  'absl_inlined_vector',
  'absl_memory',
  'absl_strings',
  'absl_optional',
];

const STUBS = {
  'abseil-cpp': {
    // Debian splits abseil into one pkg-config module per component; the
    // wrap's umbrella variables all get the set mediasoup includes.
    prelude: `absl_dep = declare_dependency(dependencies: [\n${ABSEIL_MODULES.map((m) => `  dependency('${m}'),`).join('\n')}\n])`,
    vars: { '*': 'absl_dep', absl_container_lib: '[]' },
  },
  flatbuffers: {
    // The wrap also provides the `flatc` program; fbs/meson.build then finds
    // Debian's in PATH. Looked up here so a missing one fails early.
    prelude: "flatc = find_program('flatc')",
    vars: { flatbuffers_dep: "dependency('flatbuffers')", flatbuffers_lib: '[]' },
  },
  libsrtp3: {
    options: ['crypto-library', 'crypto-library-kdf', 'tests'],
    files: { 'compat/srtp.h': srtpCompatHeader },
    vars: {
      libsrtp3_dep:
        "declare_dependency(include_directories: include_directories('compat'), dependencies: dependency('libsrtp2'))",
      libsrtp3: '[]',
    },
  },
  libuv: {
    options: ['build_tests', 'build_benchmarks'],
    vars: { libuv_dep: "dependency('libuv')", libuv: '[]' },
  },
  openssl: {
    vars: {
      openssl_dep: "dependency('openssl')",
      libssl_dep: "dependency('libssl')",
      libcrypto_dep: "dependency('libcrypto')",
      libssl_lib: '[]',
      libcrypto_lib: '[]',
    },
  },
  usrsctp: {
    options: ['sctp_build_programs'],
    vars: { usrsctp_dep: "dependency('usrsctp')", usrsctp: '[]' },
  },
  // mediasoup always calls subproject('catch2') but only its unit-test targets
  // (not built here) use it; Debian 12's Catch2 is v2, too old anyway.
  catch2: { vars: { '*': 'declare_dependency()' } },
  // Disabled with -Dms_disable_liburing=true; windows-only.
  liburing: { fail: 'liburing is disabled for Debian builds (-Dms_disable_liburing=true)' },
  wingetopt: { fail: 'wingetopt is only used on Windows' },
};

function replaceWrapsWithStubs(subprojectsDir) {
  const wraps = fs.readdirSync(subprojectsDir).filter((f) => f.endsWith('.wrap'));
  if (wraps.length === 0) throw new Error(`no .wrap files found in ${subprojectsDir}`);

  for (const wrapFile of wraps) {
    const name = wrapFile.slice(0, -'.wrap'.length);
    const stub = STUBS[name];
    if (!stub) {
      throw new Error(
        `mediasoup needs subproject "${name}", which this build recipe doesn't know; update STUBS in ${fileURLToPath(import.meta.url)}`,
      );
    }
    const wrapPath = path.join(subprojectsDir, wrapFile);
    const provided = wrapProvidedVariables(fs.readFileSync(wrapPath, 'utf8'));
    writeStub(path.join(subprojectsDir, name), name, stub, provided);
    fs.rmSync(wrapPath);
  }
}

// Variable names from a wrap's [provide] section (`dependency = variable`);
// `dependency_names` and `program_names` entries name no variables.
function wrapProvidedVariables(wrapText) {
  const section = wrapText.split(/^\[provide\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  const vars = new Set();
  for (const line of section.split('\n')) {
    const match = line.match(/^\s*([\w-]+)\s*=\s*(\S+)\s*$/);
    if (match && match[1] !== 'dependency_names' && match[1] !== 'program_names') {
      vars.add(match[2]);
    }
  }
  return [...vars];
}

function writeStub(dir, name, stub, provided) {
  fs.mkdirSync(dir, { recursive: true });
  const lines = [`project('${name}')`];

  if (stub.fail) {
    lines.push(`error('${stub.fail}')`);
  } else {
    if (stub.prelude) lines.push(stub.prelude);
    const vars = { ...stub.vars };
    const fallback = vars['*'];
    delete vars['*'];
    for (const v of provided) {
      if (!(v in vars)) {
        if (!fallback) {
          throw new Error(`stub for subproject "${name}" does not define "${v}" listed in its wrap`);
        }
        vars[v] = fallback;
      }
    }
    for (const [v, expr] of Object.entries(vars)) lines.push(`${v} = ${expr}`);
  }
  fs.writeFileSync(path.join(dir, 'meson.build'), `${lines.join('\n')}\n`);

  if (stub.options) {
    const options = stub.options.map((o) => `option('${o}', type: 'string', value: '')`);
    fs.writeFileSync(path.join(dir, 'meson_options.txt'), `${options.join('\n')}\n`);
  }

  for (const [file, content] of Object.entries(stub.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content());
  }
}

// libsrtp 3 API forms used by mediasoup 3.16-3.18, on top of Debian's libsrtp 2.5.
function srtpCompatHeader() {
  return `// Generated by Tertulia's scripts/setup/mediasoup-worker.mjs.
// mediasoup includes <srtp.h> and uses the libsrtp 3 API; this maps it onto
// Debian's libsrtp 2.5 (<srtp2/srtp.h>).
#ifndef TERTULIA_SRTP_COMPAT_H
#define TERTULIA_SRTP_COMPAT_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Error codes that exist only in libsrtp 3 (same values).
static constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
static constexpr srtp_err_status_t srtp_err_status_cryptex_err = static_cast<srtp_err_status_t>(29);

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
\treturn srtp_remove_stream(session, ssrc);
}

namespace tertulia_srtp_compat
{
\tusing InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

\t// libsrtp 3 reads \`in\` and writes \`out\` (capacity *outLen on entry);
\t// libsrtp 2 works in place and needs \`extra\` spare bytes after the packet.
\tinline srtp_err_status_t Apply(
\t  InPlaceFn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t extra)
\t{
\t\tif (inLen > INT_MAX || *outLen < inLen + extra)
\t\t\treturn srtp_err_status_buffer_small;
\t\tif (out != in)
\t\t\tstd::memmove(out, in, inLen);
\t\tint len = static_cast<int>(inLen);
\t\tconst srtp_err_status_t err = fn(ctx, out, &len);
\t\tif (err == srtp_err_status_ok)
\t\t\t*outLen = static_cast<size_t>(len);
\t\treturn err;
\t}
} // namespace tertulia_srtp_compat

// Only MKI index 0 (no MKI) is used by mediasoup.
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex = 0)
{
\tif (mkiIndex != 0)
\t\treturn srtp_err_status_bad_mki;
\treturn tertulia_srtp_compat::Apply(srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
\treturn tertulia_srtp_compat::Apply(srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex = 0)
{
\tif (mkiIndex != 0)
\t\treturn srtp_err_status_bad_mki;
\treturn tertulia_srtp_compat::Apply(
\t  srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
\treturn tertulia_srtp_compat::Apply(srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}
#endif // __cplusplus

#endif // TERTULIA_SRTP_COMPAT_H
`;
}

// ---------------------------------------------------------------------------
// Process helpers

const runningChildren = new Set();

// Runs a command; rejects with the tail of its output if it fails.
function run(cmd, args, { cwd, env, onLine } = {}) {
  return new Promise((resolve, reject) => {
    // Own process group, so an interrupt can stop the compilers it starts
    // (`meson compile` does not pass signals on to ninja).
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    runningChildren.add(child);
    const tail = [];
    let partial = '';

    const onData = (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine?.(line);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);

    child.on('error', (err) => reject(new Error(`could not run ${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      runningChildren.delete(child);
      if (partial) tail.push(partial);
      if (code === 0) return resolve();
      reject(
        new Error(
          `${cmd} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}):\n${tail.join('\n')}`,
        ),
      );
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Turns ninja's "[n/m] ..." lines into an occasional progress log line.
function progressReporter(say) {
  let last = 0;
  return (line) => {
    const match = line.match(/^\[(\d+)\/(\d+)\]/);
    if (!match) return;
    const [done, total] = [Number(match[1]), Number(match[2])];
    const now = Date.now();
    if (now - last >= PROGRESS_INTERVAL_MS || done === total) {
      last = now;
      say(`compiling ${done}/${total} (${Math.floor((done / total) * 100)}%)`);
    }
  };
}

function formatDuration(ms) {
  if (ms < 1_000) return `${ms}ms`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 60) return `${(ms / 1_000).toFixed(1)}s`;
  return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
}

function describeError(err) {
  if (err?.name === 'AbortError') return 'timed out';
  const cause = err?.cause?.code ?? err?.cause?.message;
  return cause ? `${err.message} (${cause})` : String(err?.message ?? err);
}

// ---------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureMediasoupWorker({ log: (msg) => console.log(msg) }).catch((err) => {
    console.error(`mediasoup worker setup failed: ${err.message}`);
    process.exit(1);
  });
}
