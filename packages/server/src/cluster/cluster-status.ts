import { connectRedis, Registry, type BridgeRecord, type NodeRecord } from '@tertulia/cluster';
import type { Logger } from 'pino';

export interface ClusterStatus {
  nodes: NodeRecord[];
  bridges: BridgeRecord[];
}

/** What the registry in Redis lists right now: signalling nodes and media bridges with their load. */
export async function clusterStatus(redisUrl: string, logger: Logger): Promise<ClusterStatus> {
  const redis = await connectRedis(redisUrl, logger);
  try {
    const registry = new Registry(redis);
    const [nodes, bridges] = await Promise.all([registry.list('node'), registry.list('bridge')]);
    return { nodes, bridges };
  } finally {
    redis.disconnect();
  }
}
