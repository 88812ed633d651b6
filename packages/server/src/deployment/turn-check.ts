import type { Config } from '../config.js';
import { ok, problem, type CheckResult } from './check-result.js';
import { openPortHint } from './firewall-hint.js';
import { probeStun, type StunTransport } from './stun-probe.js';

const CHECK = 'TURN';

/** Every configured TURN server answers a STUN binding request over each transport browsers are told to use. */
export async function turnCheck(config: Config): Promise<CheckResult[]> {
  const targets: { host: string; port: number; transport: StunTransport }[] = [
    ...(config.TURN_HOST ?? []).flatMap((host) => config.TURN_TRANSPORT.map((transport) => ({ host, port: config.TURN_PORT, transport }))),
    ...(config.TURNS_HOST ?? []).map((host) => ({ host, port: config.TURNS_PORT, transport: 'tls' as const })),
  ];
  return Promise.all(
    targets.map(async ({ host, port, transport }): Promise<CheckResult> => {
      const where = `${host}:${port} over ${transport.toUpperCase()}`;
      const outcome = await probeStun(host, port, transport);
      if (outcome.kind === 'answer') return ok(CHECK, `${where} answers; it sees this machine as ${outcome.mapped}`);
      const what = outcome.kind === 'refused' ? 'refused' : outcome.kind === 'silence' ? 'no answer' : outcome.message;
      const setting = transport === 'tls' ? 'tls-listening-port' : 'listening-port';
      return problem(CHECK, `${where}: ${what}`, [
        `Is coturn running there (\`systemctl status coturn\`) with ${setting}=${port} in turnserver.conf${transport === 'tls' ? ' and a certificate (cert=, pkey=) for ' + host : ''}?`,
        ...openPortHint(port, [transport === 'udp' ? 'udp' : 'tcp']),
      ]);
    }),
  );
}
