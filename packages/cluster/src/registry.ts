import type { Redis } from 'ioredis';
import { z } from 'zod';

/*
 * Who is in the deployment, kept in Redis. Each member (a media bridge or a signalling
 * node) writes its own record every few seconds with a time to live, so one that stops
 * or stops refreshing disappears by itself; nobody has to notice it died. An index
 * sorted by expiry time lists the live members without SCANning the keyspace.
 */

export type MemberKind = 'bridge' | 'node';

/** What every member says of itself. */
const MemberBase = z.object({
  id: z.string().min(1).max(100),
  /** Region it serves (REGION), for region-aware placement. */
  region: z.string().max(100).optional(),
  version: z.string(),
  startedAt: z.number(),
  /** Taking no new rooms (drain); its rooms may still run. */
  draining: z.boolean(),
});

export const BridgeRecord = MemberBase.extend({
  /** Where signalling nodes connect to it (ws:// or wss://). */
  url: z.string().url(),
  /** The operations listener (/colibri/stats, /about/health, drain). */
  opsUrl: z.string().url().optional(),
  healthy: z.boolean(),
  /** As Jitsi Videobridge's stress_level: 1 is as loaded as it should get. */
  stress: z.number().min(0),
  workers: z.number().int().min(0),
  rooms: z.number().int().min(0),
  endpoints: z.number().int().min(0),
  packetsPerSecond: z.number().min(0),
});
export type BridgeRecord = z.infer<typeof BridgeRecord>;

export const NodeRecord = MemberBase.extend({
  /** Where people open meetings on it. */
  url: z.string().url(),
  /** Where other nodes relay participants of the meetings it holds (NODE_URL). */
  signallingUrl: z.string().url(),
  rooms: z.number().int().min(0),
  participants: z.number().int().min(0),
});
export type NodeRecord = z.infer<typeof NodeRecord>;

const SCHEMAS = { bridge: BridgeRecord, node: NodeRecord } as const;
/** The record of each kind of member. */
export interface MemberRecords {
  bridge: BridgeRecord;
  node: NodeRecord;
}

const indexKey = (kind: MemberKind) => `tertulia:${kind}s`;
const recordKey = (kind: MemberKind, id: string) => `tertulia:${kind}:${id}`;

/** Reads and writes member records; every call goes straight to Redis and fails when it is unreachable. */
export class Registry {
  constructor(private readonly redis: Redis) {}

  /** Writes `record`, live for `ttlMs` unless written again. */
  async announce<K extends MemberKind>(kind: K, record: MemberRecords[K], ttlMs: number): Promise<void> {
    const now = Date.now();
    await this.redis
      .multi()
      .set(recordKey(kind, record.id), JSON.stringify(record), 'PX', ttlMs)
      .zadd(indexKey(kind), now + ttlMs, record.id)
      // Members that stopped refreshing: their records have expired, drop them from the index too.
      .zremrangebyscore(indexKey(kind), '-inf', now)
      .exec();
  }

  /** Removes a member at once (it is stopping). */
  async withdraw(kind: MemberKind, id: string): Promise<void> {
    await this.redis.multi().del(recordKey(kind, id)).zrem(indexKey(kind), id).exec();
  }

  /** The live members of a kind, ordered by id; records that do not parse (another version's) are skipped. */
  async list<K extends MemberKind>(kind: K): Promise<Array<MemberRecords[K]>> {
    const ids = await this.redis.zrangebyscore(indexKey(kind), Date.now(), '+inf');
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map((id) => recordKey(kind, id)));
    const records: Array<MemberRecords[K]> = [];
    for (const text of texts) {
      if (text === null) continue;
      const parsed = SCHEMAS[kind].safeParse(safeJson(text));
      if (parsed.success) records.push(parsed.data as MemberRecords[K]);
    }
    return records.sort((a, b) => a.id.localeCompare(b.id));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
