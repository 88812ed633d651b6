// `npm run setup`: install what is missing and build, without serving (what a server deployment runs once).
import { fileURLToPath } from 'node:url';
import { ensureMediasoupWorker } from './setup/mediasoup-worker.mjs';
import { build, installDependencies, log, step } from './setup/steps.mjs';

/** npm dependencies, the mediasoup worker and the build; exits with the reason when a step fails. */
export async function setup() {
  try {
    await step('npm dependencies', installDependencies);
    await step('mediasoup worker', () => ensureMediasoupWorker({ log }));
    await step('build', build);
  } catch (error) {
    process.stderr.write(`\n✗ Setup failed: ${error.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await setup();
