import { isIPv6 } from 'node:net';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import { BucketsPer } from './rate-limiter.js';

/** The per-address limits of the README's "Limits" section (MAX_CONNECTIONS_PER_IP and the …_PER_IP_PER_MINUTE settings). */
export interface AddressLimitSettings {
  maxConnections: number;
  connectionsPerMinute: number;
  joinsPerMinute: number;
  newRoomsPerMinute: number;
}

/**
 * What one client address may do: connections open at once, and token buckets for new
 * connections, joins and new rooms, each holding a minute's worth so a whole class behind
 * one NAT address may arrive together. Refusals carry a stable code and change nothing.
 */
export class AddressLimits {
  /** Open connections per address; an address leaves the map with its last connection. */
  readonly #open = new Map<string, number>();
  readonly #connections: BucketsPer<string>;
  readonly #joins: BucketsPer<string>;
  readonly #newRooms: BucketsPer<string>;

  constructor(private readonly settings: AddressLimitSettings) {
    this.#connections = perMinute(settings.connectionsPerMinute);
    this.#joins = perMinute(settings.joinsPerMinute);
    this.#newRooms = perMinute(settings.newRoomsPerMinute);
  }

  /** Counts a new connection from `address`, or says why it is refused (and then counts nothing). */
  connect(address: string): ProtocolError | undefined {
    const key = addressKey(address);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.settings.maxConnections) {
      return new ProtocolError(ErrorCode.TooManyConnections, `At most ${this.settings.maxConnections} connections from one address at a time.`);
    }
    if (!this.#connections.take(key)) {
      return new ProtocolError(ErrorCode.RateLimited, `At most ${this.settings.connectionsPerMinute} new connections from one address a minute.`);
    }
    this.#open.set(key, open + 1);
    return undefined;
  }

  /** A connection `connect` let in has closed. */
  disconnected(address: string): void {
    const key = addressKey(address);
    const open = (this.#open.get(key) ?? 0) - 1;
    if (open > 0) this.#open.set(key, open);
    else this.#open.delete(key);
  }

  /** Takes a join from `address`'s allowance, or throws RATE_LIMITED. */
  join(address: string): void {
    if (!this.#joins.take(addressKey(address))) {
      throw new ProtocolError(ErrorCode.RateLimited, `At most ${this.settings.joinsPerMinute} joins from one address a minute; try again in a minute.`);
    }
  }

  /** Takes a new room from `address`'s allowance, or throws RATE_LIMITED. */
  newRoom(address: string): void {
    if (!this.#newRooms.take(addressKey(address))) {
      throw new ProtocolError(ErrorCode.RateLimited, `At most ${this.settings.newRoomsPerMinute} new meetings from one address a minute; try again in a minute.`);
    }
  }
}

/** A bucket per address holding `count`, refilled at `count` a minute. */
function perMinute(count: number): BucketsPer<string> {
  return new BucketsPer<string>(count / 60, count);
}

/**
 * Whom an address belongs to: IPv4 as is (also when written IPv4-mapped), IPv6 by its
 * /64, since one home or phone gets a whole /64 and could otherwise pick a fresh address per connection.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
