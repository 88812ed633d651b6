import { parseArgs } from 'node:util';
import { clusterStatus, createLogger, loadRedisUrl, type ClusterStatus } from '@tertulia/server';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';

export const STATUS_USAGE = `Usage:
  tertulia status [--json]

Lists the deployment as the registry in Redis (REDIS_URL) has it now: signalling
nodes with their rooms and participants, media bridges with their health,
stress (1.0 = as loaded as it should get), rooms, endpoints and packet rate.
--json prints the records as JSON.`;

/** `tertulia status`: one table of nodes and one of bridges. */
export async function status(args: string[]): Promise<number> {
  const { values, positionals } = parsedOrUsage(STATUS_USAGE, () => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }));
  if (positionals.length > 0) throw new CliError(STATUS_USAGE, EXIT_USAGE);
  const redisUrl = loadRedisUrl();
  if (redisUrl === undefined) throw new CliError('tertulia status reads the registry in Redis: set REDIS_URL as on the nodes and bridges.', EXIT_USAGE);
  const found = await clusterStatus(redisUrl, createLogger('silent'));
  process.stdout.write(values.json ? `${JSON.stringify(found, null, 2)}\n` : formatStatus(found, Date.now()));
  return 0;
}

function formatStatus({ nodes, bridges }: ClusterStatus, now: number): string {
  const up = (startedAt: number) => `${Math.round((now - startedAt) / 60_000)} min`;
  const state = (draining: boolean, healthy = true) => (draining ? 'draining' : healthy ? 'up' : 'unhealthy');
  return [
    `Signalling nodes: ${nodes.length}`,
    table(
      ['id', 'url', 'region', 'state', 'rooms', 'participants', 'up'],
      nodes.map((node) => [node.id, node.url, node.region ?? '-', state(node.draining), String(node.rooms), String(node.participants), up(node.startedAt)]),
    ),
    '',
    `Media bridges: ${bridges.length}`,
    table(
      ['id', 'url', 'region', 'state', 'stress', 'rooms', 'endpoints', 'packets/s', 'workers', 'up'],
      bridges.map((bridge) => [
        bridge.id,
        bridge.url,
        bridge.region ?? '-',
        state(bridge.draining, bridge.healthy),
        bridge.stress.toFixed(2),
        String(bridge.rooms),
        String(bridge.endpoints),
        String(Math.round(bridge.packetsPerSecond)),
        String(bridge.workers),
        up(bridge.startedAt),
      ]),
    ),
    '',
  ].join('\n');
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '  (none)';
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd()).join('\n');
}
