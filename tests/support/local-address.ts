import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalAddress {
  address: string;
  /** The interface that holds it, for programs that pick interfaces by name. */
  link: string;
  close(): Promise<void>;
}

/**
 * A private IPv4 address on an interface of this machine made for the test: for media
 * stacks that gather no loopback candidates (Firefox, Janus's libnice). It is one end of a
 * veth pair (this kernel has no dummy links), so traffic to it never leaves the machine.
 * Needs root, as the namespace tests do; a pair left by a killed run is replaced.
 */
export async function createLocalAddress(link: string, address: string): Promise<LocalAddress> {
  const ip = (...args: string[]) => run('/usr/sbin/ip', args);
  await ip('link', 'del', link).catch(() => undefined);
  await ip('link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`);
  await ip('addr', 'add', `${address}/32`, 'dev', link);
  await ip('link', 'set', link, 'up');
  // Deleting one end of a veth pair deletes both.
  return { address, link, close: () => ip('link', 'del', link).then(() => undefined) };
}
