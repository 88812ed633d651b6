import { ok, problem, skipped, warning, type CheckResult } from './check-result.js';
import { checkDomainPointsHere } from './domain-check.js';
import type { DeploymentTarget } from './deployment-target.js';

const CHECK = 'DNS';

/** Doctor's DNS line, and the addresses the domain resolved to (the later checks connect to them). */
export async function dnsCheck(target: DeploymentTarget): Promise<{ result: CheckResult; addresses: string[] }> {
  if (target.domain === undefined) {
    const note = 'no public host name set (PUBLIC_URL or LETSENCRYPT_DOMAIN)';
    return target.https
      ? { result: warning(CHECK, `${note}, so neither DNS nor the certificate's name can be checked`, ['Set PUBLIC_URL=https://<your domain>.']), addresses: [] }
      : { result: skipped(CHECK, `${note}; set PUBLIC_URL to check it`), addresses: [] };
  }
  const check = await checkDomainPointsHere(target.domain, target.httpPort);
  if (check.ok) return { result: ok(CHECK, check.message), addresses: check.addresses };
  const ipv4 = check.local.filter((address) => !address.includes(':'));
  return {
    result: problem(CHECK, check.message, [
      `At your DNS provider, set an A record \`${target.domain}. A <this machine's public IPv4 address>\`` +
        ` (${ipv4.length > 0 ? `one of ${ipv4.join(', ')}, or ` : ''}the public address your hosting provider shows when this machine sits behind NAT),`,
      `and an AAAA record for its IPv6 address, or none. Remove records that point anywhere else.`,
      `Changes take up to the old record's TTL to be seen; \`dig +short ${target.domain}\` shows what resolvers answer now.`,
    ]),
    addresses: check.addresses,
  };
}
