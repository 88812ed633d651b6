import { parseArgs } from 'node:util';
import { loadConfig, mintToken } from '@tertulia/server';
import { parsedOrUsage } from '../args.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';

export const TOKEN_USAGE = `Usage:
  tertulia token --room <room|*> [--name N] [--email E] [--moderator] [--ttl 1h]
                 [--sub S] [--features recording,livestreaming]

Prints a Jitsi-format HS256 token signed with JWT_APP_SECRET (issuer JWT_APP_ID).
Open https://your-server/<room>?jwt=<token>. --ttl takes seconds or a number
with s, m, h or d (default 1h); --sub defaults to XMPP_DOMAIN.`;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Long-lived tokens cannot be revoked short of changing the secret, so a year is the most this mints. */
const MAX_TTL_SECONDS = 365 * 86_400;

/** `tertulia token`: mint a token from the configured secret, for tests and small sites. */
export async function token(args: string[]): Promise<number> {
  const { values, positionals } = parsedOrUsage(TOKEN_USAGE, () =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        room: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        moderator: { type: 'boolean' },
        ttl: { type: 'string', default: '1h' },
        sub: { type: 'string' },
        features: { type: 'string' },
      },
    }),
  );
  if (!values.room || positionals.length > 0) throw new CliError(TOKEN_USAGE, EXIT_USAGE);
  const config = loadConfig();
  if (!config.JWT_APP_ID || !config.JWT_APP_SECRET) {
    throw new CliError('tertulia token signs with JWT_APP_ID and JWT_APP_SECRET; set both (environment or tertulia.json).', EXIT_USAGE);
  }
  const minted = await mintToken(config, {
    room: values.room,
    ttlSeconds: parseTtl(values.ttl),
    name: values.name,
    email: values.email,
    moderator: values.moderator,
    sub: values.sub,
    features: values.features?.split(',').map((feature) => feature.trim()).filter(Boolean),
  });
  process.stdout.write(`${minted}\n`);
  return 0;
}

function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's']! : NaN;
  if (!(seconds > 0 && seconds <= MAX_TTL_SECONDS)) {
    throw new CliError(`--ttl must be a duration such as 90, 30m, 12h or 7d (at most 365d); got "${text}".`, EXIT_USAGE);
  }
  return seconds;
}
