import { ok, problem, type CheckResult } from './check-result.js';
import type { WebPort } from './deployment-target.js';
import { openPortHint } from './firewall-hint.js';
import { describeTcpFailure, probeTcp } from './tcp-probe.js';

const CHECK = 'Port';

/** Each web port at each public address must accept a TCP connection. */
export async function portsCheck(addresses: string[], ports: WebPort[]): Promise<CheckResult[]> {
  const probes = ports.flatMap(({ port, setting }) =>
    addresses.map(async (address): Promise<CheckResult> => {
      const outcome = await probeTcp(address, port);
      const where = `${port} (${setting}) at ${address}`;
      if (outcome.kind === 'open') return ok(CHECK, `${where} is reachable`);
      const running = `Is \`tertulia serve\` running? \`sudo ss -ltnp 'sport = :${port}'\` shows what listens on ${port}.`;
      return problem(CHECK, `${where} is unreachable: ${describeTcpFailure(outcome)}`, outcome.kind === 'refused' ? [running, ...openPortHint(port, ['tcp'])] : openPortHint(port, ['tcp']));
    }),
  );
  return Promise.all(probes);
}
