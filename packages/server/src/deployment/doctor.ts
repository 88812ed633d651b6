import { httpsMode, type Config } from '../config.js';
import { certificateCheck } from './certificate-check.js';
import { skipped, type CheckResult } from './check-result.js';
import { clockCheck } from './clock-check.js';
import { deploymentTarget } from './deployment-target.js';
import { dnsCheck } from './dns-check.js';
import { mediaPortsCheck } from './media-ports-check.js';
import { portsCheck } from './ports-check.js';
import { turnCheck } from './turn-check.js';

/**
 * `tertulia doctor`'s checks of a deployment, run on the server itself with the
 * configuration `serve` uses: DNS, web ports, certificate, media ports, TURN,
 * clock. `report` sees each result as soon as it is known.
 */
export async function runDoctor(config: Config, report: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (...found: CheckResult[]) => {
    results.push(...found);
    found.forEach(report);
  };
  const target = deploymentTarget(config);

  const dns = await dnsCheck(target);
  add(dns.result);
  // Where the public reaches this server: what the domain resolves to when that leads here, else the configured
  // public address. Addresses the domain wrongly points at are someone else's machine: nothing to learn there.
  const publicAddresses = dns.result.status === 'ok' ? dns.addresses : config.PUBLIC_IP !== undefined ? [config.PUBLIC_IP] : [];
  if (publicAddresses.length > 0) add(...(await portsCheck(publicAddresses, target.webPorts)));
  else if (dns.result.status === 'problem') add(skipped('Port', 'the web ports are tried once the domain leads here (see DNS), or at PUBLIC_IP when set'));
  else add(skipped('Port', 'no public address known (set PUBLIC_URL or PUBLIC_IP), so the web ports were not tried'));

  const mode = httpsMode(config);
  if (mode.kind !== 'off') {
    add(
      target.domain !== undefined && publicAddresses[0] !== undefined
        ? await certificateCheck(publicAddresses[0], config.HTTPS_PORT, target.domain, mode)
        : skipped('Certificate', 'checked once the public host name is set and leads here (see DNS)'),
    );
  }

  add(...(await mediaPortsCheck(config)));
  add(...(await turnCheck(config)));
  add(...(await clockCheck(config)));
  return results;
}
