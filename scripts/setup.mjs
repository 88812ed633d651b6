// `npm run setup`: install what is missing and build, without serving (what a server deployment runs once).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureMediasoupWorker } from './setup/mediasoup-worker.mjs';
import { ensureRecorderPackages } from './setup/recorder-packages.mjs';
import { build, installDependencies, log, step } from './setup/steps.mjs';

/** npm dependencies, the mediasoup worker, the recorder's GStreamer when recording is on, and the build; exits with the reason when a step fails. */
export async function setup() {
  try {
    await step('npm dependencies', installDependencies);
    await step('mediasoup worker', () => ensureMediasoupWorker({ log }));
    if (recordingWanted()) await step('recorder (GStreamer)', ensureRecorderPackages);
    await step('build', build);
  } catch (error) {
    process.stderr.write(`\n✗ Setup failed: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * Whether ENABLE_RECORDING or ENABLE_LIVESTREAMING is on, in the environment or the
 * config file the server will read (the same precedence): only then is GStreamer installed.
 */
function recordingWanted() {
  let file = {};
  try {
    file = JSON.parse(readFileSync(process.env.TERTULIA_CONFIG ?? 'tertulia.json', 'utf8'));
  } catch {
    // No config file (or one the server will refuse, saying why, when it starts).
  }
  const on = (key) => /^(1|true|yes|on)$/i.test(String(process.env[key] || file[key] || ''));
  return on('ENABLE_RECORDING') || on('ENABLE_LIVESTREAMING');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await setup();
