import { readFileSync } from 'node:fs';
import { availableParallelism, networkInterfaces } from 'node:os';
import { z } from 'zod';
import type { ListenAddress } from '@tertulia/media';

/*
 * One configuration for the whole server, read from an optional JSON file
 * (TERTULIA_CONFIG, default ./tertulia.json if present) and then the environment,
 * which wins. Keys are the same in both: UPPER_CASE, and where Jitsi (or
 * docker-jitsi-meet) has a name for a setting, that name.
 */

const port = z.coerce.number().int().min(0).max(65535);
/** A list given as "a,b,c" (environment) or as a JSON array (config file). */
const commaList = <T extends z.ZodType<unknown, string>>(item: T, min = 0) =>
  z
    .union([z.string().transform((value) => value.split(',')), z.array(z.string())])
    .transform((parts) => parts.map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item).min(min));
const ip = z.union([z.ipv4(), z.ipv6()]);
/** Shared secrets must not be guessable; 16 characters is the floor, a random 32+ is better. */
const secret = z.string().min(16, 'must be at least 16 characters (use a long random string)');

const ConfigSchema = z.object({
  /** HTTP and WebSocket port. */
  PORT: port.default(8080),
  /** Address the HTTP server binds. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Address browsers reach the media port on, when the server sits behind NAT (Jitsi's JVB_ADVERTISE_IPS). */
  PUBLIC_IP: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** Local addresses the media ports bind, comma-separated; default: every IPv4 address of this machine. */
  RTC_LISTEN_IPS: commaList(ip, 1).optional(),
  /** First media port (UDP and TCP). Worker i uses RTC_PORT + i. 0 picks free ports (for tests). */
  RTC_PORT: port.default(10000),
  /** Media worker processes; default one per CPU core. */
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  /** Seconds a participant whose connection dropped is kept, so a reload or a reconnect resumes the session. */
  RECONNECT_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built web client lives; default: the @tertulia/web package's dist folder. */
  WEB_ROOT: z.string().optional(),
  /** The operations listener (stats, metrics, health, REST API): a private address by default. */
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  OPS_PORT: port.default(8888),
  /** When set, the operations endpoints are also served on the public port to requests bearing this token. */
  OPS_TOKEN: secret.optional(),
  /** Keys for the server REST API, comma-separated; sent as `Authorization: Bearer <key>`. */
  API_KEYS: commaList(secret).default([]),
  /** Where room and participant events are POSTed, comma-separated http(s) URLs. */
  WEBHOOK_URLS: commaList(z.url({ protocol: /^https?$/ })).default([]),
  /** Key of the HMAC-SHA256 signature on every webhook; required with WEBHOOK_URLS. */
  WEBHOOK_SECRET: secret.optional(),
}).superRefine((config, ctx) => {
  if (config.WEBHOOK_URLS.length > 0 && !config.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET'],
      message: 'WEBHOOK_URLS is set, so WEBHOOK_SECRET is required: receivers check each webhook against its signature',
    });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError with a message that says what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = readConfigFile(env['TERTULIA_CONFIG']);
  const keys = Object.keys(ConfigSchema.shape);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const unknownKeys = Object.keys(fromFile).filter((key) => !keys.includes(key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(`Unknown setting(s) in the config file: ${unknownKeys.join(', ')}. Known settings: ${keys.join(', ')}.`);
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}\nSet these in the environment or in the config file.`);
  }
  return parsed.data;
}

function readConfigFile(explicitPath: string | undefined): Record<string, unknown> {
  const path = explicitPath ?? 'tertulia.json';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (explicitPath === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`The config file ${path} must hold a JSON object of settings.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Media listen addresses. With PUBLIC_IP: bind everything, announce the public
 * address. Otherwise bind each local IPv4 address and announce it as itself, so
 * the same server works for a browser on this machine and one on the LAN.
 */
export function mediaListenAddresses(config: Config): ListenAddress[] {
  if (config.PUBLIC_IP) {
    const ip = config.RTC_LISTEN_IPS?.[0] ?? (config.PUBLIC_IP.includes(':') ? '::' : '0.0.0.0');
    return [{ ip, announcedAddress: config.PUBLIC_IP }];
  }
  if (config.RTC_LISTEN_IPS) return config.RTC_LISTEN_IPS.map((ip) => ({ ip }));
  const local = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4')
    .map((info) => ({ ip: info!.address }));
  return local.length > 0 ? local : [{ ip: '127.0.0.1' }];
}
