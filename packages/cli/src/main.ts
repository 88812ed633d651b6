#!/usr/bin/env node
import { ConfigError } from '@tertulia/server';
import { CliError, EXIT_USAGE } from './cli-error.js';
import { bridge, BRIDGE_USAGE } from './commands/bridge.js';
import { doctor, DOCTOR_USAGE } from './commands/doctor.js';
import { installService, INSTALL_SERVICE_USAGE } from './commands/install-service.js';
import { loadtest, LOADTEST_USAGE } from './commands/loadtest.js';
import { recorder, RECORDER_USAGE } from './commands/recorder.js';
import { serve } from './commands/serve.js';
import { status, STATUS_USAGE } from './commands/status.js';
import { token, TOKEN_USAGE } from './commands/token.js';
import { user, USER_USAGE } from './commands/user.js';

const USAGE = `Usage: tertulia <command>

Commands:
  serve      Run the meeting server (default). Settings come from the environment
             and from tertulia.json (or the file named by TERTULIA_CONFIG).
  user       Manage the accounts of AUTH_TYPE=internal.
  token      Mint a Jitsi-format JWT from JWT_APP_ID/JWT_APP_SECRET.
  doctor     Check this deployment (DNS, ports, certificate, media, TURN, clock).
  install-service
             Run this checkout as a sandboxed systemd service (as root).
  loadtest   Load an SFU with synthetic participants and report what they received.
  recorder   Compose recordings and live streams (started by the server itself).
  bridge     Run a media bridge for signalling nodes on other machines (Redis).
  status     List the signalling nodes and media bridges registered in Redis.
  help       Show this text.

${USER_USAGE}

${TOKEN_USAGE}

${DOCTOR_USAGE}

${INSTALL_SERVICE_USAGE}

${LOADTEST_USAGE}

${RECORDER_USAGE}

${BRIDGE_USAGE}

${STATUS_USAGE}
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve,
  user,
  token,
  doctor,
  'install-service': installService,
  loadtest,
  recorder,
  bridge,
  status,
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

const [name = 'serve', ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  process.stderr.write(`tertulia: unknown command "${name}".\n\n${USAGE}`);
  process.exit(EXIT_USAGE);
}
command(args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tertulia: ${error instanceof Error ? error.message : String(error)}\n`);
    // Settings that cannot work are a usage problem (2); refused or failed operations are 1.
    const code = error instanceof CliError ? error.exitCode : error instanceof ConfigError ? EXIT_USAGE : 1;
    process.exit(code);
  },
);
