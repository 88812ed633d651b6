// `npm run build`: the TypeScript packages and the browser bundles, each only when changed.
import { build, step } from './setup/steps.mjs';

try {
  await step('build', build);
} catch (error) {
  process.stderr.write(`\n✗ Build failed: ${error.message}\n`);
  process.exit(1);
}
