import { parseArgs } from 'node:util';
import { loadConfig, runDoctor, type CheckResult } from '@tertulia/server';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';

export const DOCTOR_USAGE = `Usage:
  tertulia doctor

Checks this deployment from the server itself, with the settings \`serve\` uses:
DNS of the public host, the web ports, the HTTPS certificate, the media ports,
the TURN servers and the clock. One line per check (✓ ok, ! warning, ✗ problem,
- skipped), with what to do under each problem. Exits 1 if there is a problem.`;

const MARK: Record<CheckResult['status'], string> = { ok: '✓', warning: '!', problem: '✗', skipped: '-' };

/** `tertulia doctor`: prints each check as it completes; 0 when nothing is a problem, 1 otherwise. */
export async function doctor(args: string[]): Promise<number> {
  const { positionals } = parsedOrUsage(DOCTOR_USAGE, () => parseArgs({ args, allowPositionals: true, options: {} }));
  if (positionals.length > 0) throw new CliError(DOCTOR_USAGE, EXIT_USAGE);
  const results = await runDoctor(loadConfig(), (result) => process.stdout.write(formatResult(result)));
  const problems = results.filter((result) => result.status === 'problem').length;
  process.stdout.write(problems === 0 ? '\nNo problems found.\n' : `\n${problems} problem${problems === 1 ? '' : 's'} found; see what to do under each ✗.\n`);
  return problems === 0 ? 0 : 1;
}

function formatResult({ check, status, message, fix }: CheckResult): string {
  const lines = [`${MARK[status]} ${check}: ${message}`, ...(fix ?? []).map((step) => `    → ${step}`)];
  return `${lines.join('\n')}\n`;
}
