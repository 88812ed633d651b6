import { mediaListenAddresses, type Config } from '../config.js';
import { ok, problem, skipped, type CheckResult } from './check-result.js';
import { openPortHint } from './firewall-hint.js';
import { probeStun } from './stun-probe.js';
import { describeTcpFailure, probeTcp } from './tcp-probe.js';

const CHECK = 'Media port';

/**
 * Each media port (RTC_PORT + worker) at each address browsers are given: TCP must
 * accept; UDP must not be refused. mediasoup (ICE-lite) ignores a STUN request
 * without the session's credentials, so silence is what a working port sounds like,
 * and an ICMP port-unreachable (ECONNREFUSED) what a closed one does.
 */
export async function mediaPortsCheck(config: Config): Promise<CheckResult[]> {
  if (config.RTC_PORT === 0) return [skipped(CHECK, 'RTC_PORT=0: the media ports are picked at random, so there is nothing fixed to check')];
  const addresses = [...new Set(mediaListenAddresses(config).map((listen) => listen.announcedAddress ?? listen.ip))].filter(
    (address) => address !== '0.0.0.0' && address !== '::',
  );
  const ports = Array.from({ length: config.MEDIA_WORKERS }, (_, worker) => config.RTC_PORT + worker);
  return Promise.all(ports.flatMap((port) => addresses.map((address) => mediaPort(address, port))));
}

async function mediaPort(address: string, port: number): Promise<CheckResult> {
  const [tcp, udp] = await Promise.all([probeTcp(address, port), probeStun(address, port, 'udp')]);
  const failures: string[] = [];
  const closed: ('tcp' | 'udp')[] = [];
  if (tcp.kind !== 'open') {
    failures.push(`TCP ${describeTcpFailure(tcp)}`);
    closed.push('tcp');
  }
  if (udp.kind === 'refused' || udp.kind === 'error') {
    failures.push(udp.kind === 'refused' ? 'UDP refused (nothing listens, or a firewall rejects it)' : `UDP ${udp.message}`);
    closed.push('udp');
  }
  if (failures.length === 0) return ok(CHECK, `${port} at ${address}: TCP accepts, UDP is not refused`);
  return problem(CHECK, `${port} at ${address}: ${failures.join('; ')}`, [
    `Is \`tertulia serve\` running with this RTC_PORT and MEDIA_WORKERS? \`sudo ss -lntup 'sport = :${port}'\` shows what listens.`,
    ...openPortHint(port, closed),
  ]);
}
