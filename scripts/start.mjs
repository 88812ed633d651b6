// `npm start`: install what is missing, build, then serve meetings on PORT (default 8080).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setup } from './setup.mjs';
import { ROOT } from './setup/steps.mjs';

await setup();

const server = spawn(process.execPath, [join(ROOT, 'packages', 'cli', 'dist', 'main.js'), 'serve', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
