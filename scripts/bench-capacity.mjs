// `npm run bench:capacity`: install what the capacity bench needs (Janus, ffmpeg for the
// load tool's media, gcc and libsrtp2-dev for the floor), build, then run the bench.
import { join } from 'node:path';
import { ensureMediasoupWorker } from './setup/mediasoup-worker.mjs';
import { build, ensureDebianPackages, installDependencies, log, run, step } from './setup/steps.mjs';

try {
  await step('npm dependencies', installDependencies);
  await step('mediasoup worker', () => ensureMediasoupWorker({ log }));
  await step('Janus, ffmpeg, gcc and libsrtp2-dev (Debian janus, ffmpeg, gcc, libsrtp2-dev)', () =>
    ensureDebianPackages(['janus', 'ffmpeg', 'gcc', 'libsrtp2-dev'], 'The capacity bench (Janus to compare with, ffmpeg for the media, gcc and libsrtp2 for the floor)'),
  );
  // The CLI's build compiles the load tool too (packages/loadtest).
  await step('build', build);
} catch (error) {
  process.stderr.write(`\n✗ Setup failed: ${error.message}\n`);
  process.exit(1);
}

try {
  await run(process.execPath, ['--import', 'tsx', join('tests', 'bench', 'capacity.bench.ts')]);
} catch {
  process.exit(1);
}
