import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { fetchInstanceId } from './instance-probe.js';

export interface DomainCheck {
  /** Every address the domain resolves to leads to this machine (directly, or through 1:1 NAT to a Tertulia server). */
  ok: boolean;
  /** What the domain resolves to. */
  addresses: string[];
  /** This machine's own (non-loopback) addresses. */
  local: string[];
  message: string;
}

/**
 * Does `domain` lead here? Each address it resolves to must be one of this
 * machine's, or (clouds with 1:1 NAT, where the public address is on no
 * interface) answer the instance route on `port` as Tertulia. With
 * `expectedInstance` (a server checking itself) it must be this very process.
 */
export async function checkDomainPointsHere(domain: string, port: number, expectedInstance?: string): Promise<DomainCheck> {
  const local = localAddresses();
  let addresses: string[];
  try {
    addresses = (await lookup(domain, { all: true })).map((answer) => answer.address);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, addresses: [], local, message: `${domain} does not resolve (${code}); this machine's addresses: ${list(local)}` };
  }
  const elsewhere: string[] = [];
  const viaNat: string[] = [];
  for (const address of addresses) {
    if (local.includes(address)) continue;
    const instance = await fetchInstanceId(address, port, domain);
    if (instance !== undefined && (expectedInstance === undefined || instance === expectedInstance)) viaNat.push(address);
    else elsewhere.push(address);
  }
  if (elsewhere.length > 0) {
    return {
      ok: false,
      addresses,
      local,
      message:
        `${domain} points elsewhere: it resolves to ${list(addresses)}, and ${list(elsewhere)} ` +
        `is not this machine (its addresses: ${list(local)}; no Tertulia answered on port ${port} there)`,
    };
  }
  const nat = viaNat.length > 0 ? ` (${list(viaNat)} through NAT: a Tertulia server answered there)` : ' (this machine)';
  return { ok: true, addresses, local, message: `${domain} resolves to ${list(addresses)}${nat}` };
}

/** This machine's addresses, loopback left out: a domain resolving to 127.0.0.1 reaches nobody else. */
function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal)
    .map((info) => info!.address);
}

function list(addresses: string[]): string {
  return addresses.length > 0 ? addresses.join(', ') : 'none';
}
