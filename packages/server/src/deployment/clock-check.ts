import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Config } from '../config.js';
import { ok, problem, skipped, type CheckResult } from './check-result.js';
import { PROBE_TIMEOUT_MS } from './tcp-probe.js';

const run = promisify(execFile);
const CHECK = 'Clock';
/** ACME requests and TURN credentials carry times; beyond this they start failing. */
const MAX_OFFSET_S = 30;
const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const FIX_NTP = 'Turn time synchronisation on: `sudo timedatectl set-ntp true` (systemd-timesyncd), or install chrony.';

/** Whether systemd keeps the clock synchronised, and how far it is from the ACME directory's clock. */
export async function clockCheck(config: Config): Promise<CheckResult[]> {
  return [await ntpSynchronised(), await offsetFromAcme(config)];
}

async function ntpSynchronised(): Promise<CheckResult> {
  let answer: string;
  try {
    answer = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], { timeout: PROBE_TIMEOUT_MS })).stdout.trim();
  } catch {
    return skipped(CHECK, 'timedatectl is not available here, so NTP synchronisation is not known');
  }
  return answer === 'yes' ? ok(CHECK, 'synchronised by NTP (timedatectl)') : problem(CHECK, `not synchronised by NTP (timedatectl: NTPSynchronized=${answer})`, [FIX_NTP]);
}

async function offsetFromAcme(config: Config): Promise<CheckResult> {
  const directory = config.LETSENCRYPT_ACME_SERVER ?? (config.LETSENCRYPT_USE_STAGING ? LETS_ENCRYPT_STAGING : LETS_ENCRYPT);
  const before = Date.now();
  let date: string | null;
  try {
    const response = await fetch(directory, { method: 'HEAD', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    date = response.headers.get('date');
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s`
        : ((error as Error & { cause?: NodeJS.ErrnoException }).cause?.code ?? (error as Error).message);
    return skipped(CHECK, `${directory} is not reachable (${reason}), so the clock was not compared with it`);
  }
  if (date === null) return skipped(CHECK, `${directory} sent no Date header to compare the clock with`);
  // The header has whole seconds and was stamped somewhere during the request: compare with its middle.
  const offsetS = Math.round(((before + Date.now()) / 2 - Date.parse(date)) / 1000);
  const summary = `${Math.abs(offsetS)} s ${offsetS >= 0 ? 'ahead of' : 'behind'} ${new URL(directory).host}`;
  return Math.abs(offsetS) > MAX_OFFSET_S
    ? problem(CHECK, `${summary}: certificates from ACME and TURN credentials fail with a clock this far off`, [FIX_NTP])
    : ok(CHECK, summary);
}
