import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, httpsMode, loadConfig, type Config } from '@tertulia/server';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import {
  enableAndStart,
  ensureConfigFile,
  ensureDataDir,
  ensureServiceAccount,
  HTTPS_SETTINGS,
  progress,
  systemdRunning,
  writeUnit,
} from '../service/install-steps.js';
import { unreadableByService } from '../service/service-readable.js';
import { SERVICE_PATHS, systemdUnit, type UnitSettings } from '../service/systemd-unit.js';

export const INSTALL_SERVICE_USAGE = `Usage:
  tertulia install-service [--user NAME] [--print]

Runs this checkout's \`tertulia serve\` as the systemd service tertulia (as root:
sudo npx tertulia install-service). Creates the system user NAME (default
tertulia) if missing, ${SERVICE_PATHS.dataDir} (DATA_DIR) and, when absent,
${SERVICE_PATHS.config} with ${HTTPS_SETTINGS.join(', ')} taken from the
environment if set; writes ${SERVICE_PATHS.unit}, then enables and starts it.
--print shows the unit and changes nothing.`;

/** System account names as useradd accepts them by default. */
const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** `tertulia install-service`: install this checkout as a sandboxed systemd service. */
export async function installService(args: string[]): Promise<number> {
  const { values, positionals } = parsedOrUsage(INSTALL_SERVICE_USAGE, () =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { user: { type: 'string', default: 'tertulia' }, print: { type: 'boolean', default: false } },
    }),
  );
  if (positionals.length > 0) throw new CliError(INSTALL_SERVICE_USAGE, EXIT_USAGE);
  if (!ACCOUNT_NAME.test(values.user)) {
    throw new CliError(`--user must be a system account name (lower-case letters, digits, _ and -); got "${values.user}".`, EXIT_USAGE);
  }
  // The unit runs the code that is running now, by real paths (npx starts it through a symlink).
  const unit: UnitSettings = {
    nodePath: realpathSync(process.execPath),
    mainPath: realpathSync(fileURLToPath(new URL('../main.js', import.meta.url))),
    user: values.user,
    group: values.user,
  };
  if (values.print) {
    process.stdout.write(systemdUnit(unit));
    return 0;
  }
  if (process.getuid?.() !== 0) {
    throw new CliError(
      `install-service creates a system user, ${SERVICE_PATHS.dataDir}, ${SERVICE_PATHS.config} and a systemd unit, so it needs root: run it with sudo (sudo npx tertulia install-service). Nothing was changed. To see the unit first: tertulia install-service --print`,
    );
  }
  refuseUnreadableInstallation(unit);

  const account = ensureServiceAccount(values.user);
  ensureDataDir(account);
  ensureConfigFile(account, process.env);
  const config = serviceConfig();
  writeUnit(systemdUnit({ ...unit, group: account.group }));
  if (systemdRunning()) {
    enableAndStart();
  } else {
    progress('systemd is not running on this machine (no /run/systemd/system), so nothing was started; where it runs: systemctl daemon-reload && systemctl enable --now tertulia');
  }
  process.stdout.write(nextSteps(config, checkoutRoot(unit.mainPath)));
  return 0;
}

/** The service user must be able to run node and the checkout; ProtectHome=yes hides home directories entirely. */
function refuseUnreadableInstallation(unit: UnitSettings): void {
  const nodeProblem = unreadableByService(unit.nodePath);
  if (nodeProblem) {
    throw new CliError(
      `The service user could not run Node.js: ${nodeProblem}. Install Node.js system-wide (a distribution or NodeSource package, e.g. /usr/bin/node) and run install-service with it. Nothing was changed.`,
    );
  }
  const checkoutProblem = unreadableByService(unit.mainPath);
  if (checkoutProblem) {
    throw new CliError(
      `The service user could not run this checkout: ${checkoutProblem}. Put it where every user can read it, e.g. git clone … /opt/tertulia, run npm start once there, then run install-service again from /opt/tertulia. Nothing was changed.`,
    );
  }
}

/** The service's settings as it will read them; a file it would refuse stops here rather than in a restart loop. */
function serviceConfig(): Config {
  try {
    return loadConfig({ TERTULIA_CONFIG: SERVICE_PATHS.config });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CliError(`${error.message}\nFix ${SERVICE_PATHS.config}, then run install-service again (the service was not started).`);
  }
}

/** packages/cli/dist/main.js → the checkout, where npx finds tertulia. */
function checkoutRoot(mainPath: string): string {
  return resolve(dirname(mainPath), '..', '..', '..');
}

function nextSteps(config: Config, checkout: string): string {
  const httpsHint =
    httpsMode(config).kind === 'off'
      ? `
HTTPS is off: the server answers plain HTTP on port ${config.PORT}. For a public server, add to
${SERVICE_PATHS.config} ENABLE_LETSENCRYPT ("1"), LETSENCRYPT_DOMAIN and LETSENCRYPT_EMAIL
(or TLS_CERT_FILE and TLS_KEY_FILE), PUBLIC_IP if the machine is behind NAT, then: systemctl restart tertulia
`
      : '';
  return `${httpsHint}
Follow the logs:      journalctl -u tertulia -f
Check the deployment: cd ${checkout} && sudo TERTULIA_CONFIG=${SERVICE_PATHS.config} npx tertulia doctor
`;
}
