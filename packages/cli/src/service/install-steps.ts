import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { CliError } from '../cli-error.js';
import { SERVICE_PATHS } from './systemd-unit.js';

/** The settings install-service copies from its environment into a new config file: what HTTPS on a public server needs. */
export const HTTPS_SETTINGS = ['ENABLE_LETSENCRYPT', 'LETSENCRYPT_DOMAIN', 'LETSENCRYPT_EMAIL', 'PUBLIC_URL'] as const;

export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
  group: string;
}

/** Each step says what it did, so a person running it as root sees every change to the system. */
export function progress(message: string): void {
  process.stdout.write(`• ${message}\n`);
}

/** Runs a system command with its output shown; a failure names the command and what to do next. */
function runCommand(command: string, args: string[], next = 'fix what it says and run install-service again'): void {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    throw new CliError(`"${command} ${args.join(' ')}" failed (${(error as Error).message.split('\n')[0]}); ${next}.`);
  }
}

/** One getent entry split on ":", or undefined when there is none (getent exits 2). */
function getent(database: 'passwd' | 'group', key: string): string[] | undefined {
  try {
    return execFileSync('getent', [database, key], { encoding: 'utf8' }).trim().split(':');
  } catch {
    return undefined;
  }
}

/** The system account the service runs as, created (with a group of the same name) when missing. */
export function ensureServiceAccount(name: string): ServiceAccount {
  if (!getent('passwd', name)) {
    runCommand('useradd', ['--system', '--user-group', '--home-dir', SERVICE_PATHS.dataDir, '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    progress(`created the system user and group ${name}`);
  } else {
    progress(`the user ${name} exists; the service runs as it`);
  }
  const [, , uid, gid] = getent('passwd', name)!;
  const group = getent('group', gid!)?.[0] ?? name;
  return { name, uid: Number(uid), gid: Number(gid), group };
}

/** DATA_DIR: private to the service account (accounts, ACME keys and certificates live there). */
export function ensureDataDir(account: ServiceAccount): void {
  mkdirSync(SERVICE_PATHS.dataDir, { recursive: true });
  chmodSync(SERVICE_PATHS.dataDir, 0o750);
  chownSync(SERVICE_PATHS.dataDir, account.uid, account.gid);
  progress(`${SERVICE_PATHS.dataDir} (DATA_DIR): mode 0750, owner ${account.name}:${account.group}`);
}

/**
 * The config file, written only when absent (an existing one is the administrator's) with
 * DATA_DIR and whichever HTTPS settings are in the environment. Readable by the service's
 * group only: it may hold secrets.
 */
export function ensureConfigFile(account: ServiceAccount, env: NodeJS.ProcessEnv): void {
  if (existsSync(SERVICE_PATHS.config)) {
    progress(`${SERVICE_PATHS.config} exists; left as it is`);
    return;
  }
  const settings: Record<string, string> = { DATA_DIR: SERVICE_PATHS.dataDir };
  for (const key of HTTPS_SETTINGS) {
    const value = env[key];
    if (value) settings[key] = value;
  }
  mkdirSync(SERVICE_PATHS.configDir, { recursive: true, mode: 0o755 });
  writeFileSync(SERVICE_PATHS.config, `${JSON.stringify(settings, null, 2)}\n`, { flag: 'wx', mode: 0o640 });
  chownSync(SERVICE_PATHS.config, 0, account.gid);
  progress(`wrote ${SERVICE_PATHS.config} (mode 0640, root:${account.group}) with ${Object.keys(settings).join(', ')}`);
}

export function writeUnit(text: string): void {
  writeFileSync(SERVICE_PATHS.unit, text, { mode: 0o644 });
  progress(`wrote ${SERVICE_PATHS.unit}`);
}

/** Whether systemd is the running init (what sd_booted() checks). */
export function systemdRunning(): boolean {
  return existsSync('/run/systemd/system');
}

export function enableAndStart(): void {
  runCommand('systemctl', ['daemon-reload']);
  progress('systemctl daemon-reload');
  runCommand('systemctl', ['enable', '--now', 'tertulia'], 'journalctl -u tertulia -e shows why; fix it, then systemctl restart tertulia');
  progress('systemctl enable --now tertulia: started, and starts at boot');
}
