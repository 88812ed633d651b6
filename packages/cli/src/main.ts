#!/usr/bin/env node
import { serve } from './commands/serve.js';

const USAGE = `Usage: tertulia <command>

Commands:
  serve      Run the meeting server (default). Settings come from the environment
             and from tertulia.json (or the file named by TERTULIA_CONFIG).
  help       Show this text.
`;

const commands: Record<string, () => Promise<number>> = {
  serve,
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

const name = process.argv[2] ?? 'serve';
const command = commands[name];
if (!command) {
  process.stderr.write(`tertulia: unknown command "${name}".\n\n${USAGE}`);
  process.exit(2);
}
command().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tertulia: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
