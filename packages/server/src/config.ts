import { readFileSync } from 'node:fs';
import { availableParallelism, networkInterfaces } from 'node:os';
import { createSecureContext } from 'node:tls';
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
/** A host name or an IPv4/IPv6 address, as it goes into a turn:/stun: URL. */
const hostName = z
  .string()
  .refine(
    (value) => z.union([z.ipv4(), z.ipv6()]).safeParse(value).success || /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value),
    'must be a host name or an IP address',
  );
/** A STUN server as docker-jitsi-meet writes it (host:port) or as a URL (stun:host:port). */
const stunServer = z.string().regex(/^(stuns?:)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must be host:port or stun:host:port');
/** An IPv4/IPv6 address or a CIDR block of them (10.0.0.0/8, fd00::/8). */
const ipOrCidr = z.union([ip, z.cidrv4(), z.cidrv6()], { error: 'must be an IP address or a CIDR block such as 10.0.0.0/8' });
/** A web origin as browsers send it (scheme, host, optional port, nothing else), or `*` for any. */
const webOriginOrAny = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be * or origins such as https://lms.example.org (scheme, host, optional port; no path or trailing slash)');
/** Shared secrets must not be guessable; 16 characters is the floor, a random 32+ is better. */
const secret = z.string().min(16, 'must be at least 16 characters (use a long random string)');
/** An on/off switch in docker-jitsi-meet's spellings: 1/0, true/false (also yes/no, on/off), or a JSON boolean. */
const flag = z
  .union(
    [z.boolean(), z.literal(0), z.literal(1), z.string().trim().toLowerCase().pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']))],
    { error: 'must be 1 or 0 (or true/false)' },
  )
  .transform((value) => value === true || value === 1 || value === '1' || value === 'true' || value === 'yes' || value === 'on');
/** saslauthd's LDAP_FILTER tokens that Tertulia expands; any other %x would silently reach the directory unexpanded. */
const LDAP_FILTER_TOKENS = /%[^%uUd]/;
/** An OpenSSL cipher list, checked now so a typo stops the server at start rather than failing every login. */
const cipherList = z.string().min(1).refine((ciphers) => {
  try {
    createSecureContext({ ciphers });
    return true;
  } catch {
    return false;
  }
}, 'is not a cipher list OpenSSL accepts (see `openssl ciphers`; GnuTLS priority strings such as SECURE256 do not apply)');

const ConfigFields = z.object({
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
  /** Media worker processes; default one per CPU core. 0 (with REDIS_URL): no media here, only the bridges in Redis. */
  MEDIA_WORKERS: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /** Two people connect directly (peer to peer) instead of through the media server (Jitsi's p2p.enabled). */
  P2P_ENABLED: flag.default(true),
  /** After a third person leaves, seconds before the remaining two go peer to peer again (Jitsi's p2p.backToP2PDelay). */
  P2P_BACK_DELAY_SECONDS: z.coerce.number().min(0).max(60).default(5),
  /** Most remote videos the server forwards to one browser (Jitsi's channelLastN); -1 = all. It caps what a browser asks for. */
  CHANNEL_LAST_N: z.coerce
    .number({ error: 'must be a whole number: -1 (all videos) or how many videos at most' })
    .int('must be a whole number: -1 (all videos) or how many videos at most')
    .min(-1, 'must be -1 (all videos) or 0 and up')
    .default(-1),
  /** Who may create polls: moderators (default) or everyone; a token's `create-polls` feature also allows it. */
  POLL_CREATORS: z.enum(['moderators', 'everyone']).default('moderators'),
  /** Who may turn end-to-end encryption on and off in a meeting: moderators (default) or everyone. */
  E2EE_CONTROL: z.enum(['moderators', 'everyone']).default('moderators'),
  /** Seconds a participant whose connection dropped is kept, so a reload or a reconnect resumes the session. */
  RECONNECT_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built web client lives; default: the @tertulia/web package's dist folder. */
  WEB_ROOT: z.string().optional(),
  /**
   * Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDR blocks, comma-separated; `none` trusts
   * nobody). Loopback by default: the deployment guide's nginx runs on the same machine, and nothing else can forge
   * a loopback source address.
   */
  TRUSTED_PROXIES: z
    .preprocess((value) => (typeof value === 'string' && value.trim().toLowerCase() === 'none' ? [] : value), commaList(ipOrCidr))
    .default(['127.0.0.1', '::1']),
  /** Origins whose pages may embed meetings (frame-ancestors, and the iframe API's host check), comma-separated; `*`: any. */
  ALLOWED_EMBEDDERS: commaList(webOriginOrAny, 1)
    .refine((origins) => !origins.includes('*') || origins.length === 1, '* (anyone) cannot be combined with a list of origins')
    .default(['*']),
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

  /* Scale-out: media bridges and signalling nodes that find each other in Redis; README "Scaling out". */
  /** Redis (redis://[:password@]host:port[/db], rediss:// for TLS) holding the registry of bridges and nodes; unset: one process, as usual. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL, e.g. redis://10.0.0.5:6379' }).optional(),
  /** Shared by bridges and signalling nodes: a bridge serves only nodes that prove they know it. Required with REDIS_URL. */
  BRIDGE_SECRET: secret.optional(),
  /** Address and port a bridge's channel to signalling nodes listens on (`tertulia bridge`, or `serve` with media of its own). */
  BRIDGE_HOST: z.string().min(1).default('0.0.0.0'),
  BRIDGE_PORT: port.default(8090),
  /** How signalling nodes reach this bridge (ws://, or wss:// with BRIDGE_TLS_* or a TLS proxy); default ws(s)://<first private address>:BRIDGE_PORT. */
  BRIDGE_URL: z.url({ protocol: /^wss?$/ }).optional(),
  /** A bridge's channel over TLS of its own (wss://): its certificate chain and private key, PEM files, both or neither. Read at start. */
  BRIDGE_TLS_CERT_FILE: z.string().min(1).optional(),
  BRIDGE_TLS_KEY_FILE: z.string().min(1).optional(),
  /** On signalling nodes: a CA (PEM) to trust for wss:// bridges whose certificates it signed, beside the public ones. */
  BRIDGE_TLS_CA_FILE: z.string().min(1).optional(),
  /** How other signalling nodes reach this one's /ws to relay participants of meetings held here; default http://<first private address>:PORT. */
  NODE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** What draining a bridge (POST /colibri/drain/enable, SIGTERM) does with its rooms: move them to other bridges now, or wait for them to end. */
  BRIDGE_DRAIN_MODE: z.enum(['move', 'wait']).default('move'),
  /** Participants a bridge takes (jicofo's max-bridge-participants); a meeting on a full bridge spans another one. Unset: only stress limits it. */
  BRIDGE_MAX_PARTICIPANTS: z.coerce.number().int().min(1).optional(),
  /** The region this bridge or node is in; new rooms go to a bridge of the opening node's region when there is one. */
  REGION: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a short name such as eu-west (letters, digits, . _ -)').optional(),

  /* HTTPS served by Tertulia itself, under docker-jitsi-meet's names; README "Deploying on a server". */
  /** The address people open, e.g. https://meet.example.org (links, `tertulia doctor`); default: derived from the HTTPS settings. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Obtain and renew the HTTPS certificate from Let's Encrypt (or LETSENCRYPT_ACME_SERVER) over ACME. */
  ENABLE_LETSENCRYPT: flag.default(false),
  /** The domain the certificate is for; it must resolve to this machine. */
  LETSENCRYPT_DOMAIN: hostName.optional(),
  /** Contact address given to the CA (expiry and policy mail). */
  LETSENCRYPT_EMAIL: z.email().optional(),
  /** Let's Encrypt's staging CA: untrusted certificates, generous rate limits; for trying a setup out. */
  LETSENCRYPT_USE_STAGING: flag.default(false),
  /** Any ACME directory URL (another CA, or a test CA such as pebble); overrides LETSENCRYPT_USE_STAGING. */
  LETSENCRYPT_ACME_SERVER: z.url({ protocol: /^https?$/ }).optional(),
  /** A certificate (PEM, full chain) and its key from elsewhere; both re-read when either file changes. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** With HTTPS on: the HTTPS port (PORT is then unused). */
  HTTPS_PORT: port.default(443),
  /** With HTTPS on: the plain HTTP port, for ACME HTTP-01 challenges and the redirect to HTTPS. */
  HTTP_PORT: port.default(80),
  /** With HTTPS on: plain HTTP requests are redirected to HTTPS (otherwise HTTP serves meetings too; browsers then refuse camera and microphone). */
  ENABLE_HTTP_REDIRECT: flag.default(true),
  /** With HTTPS on: Strict-Transport-Security, so browsers never use plain HTTP for this site again. */
  ENABLE_HSTS: flag.default(true),
  /** Never serve HTTPS, whatever else is set (TLS ends at a proxy in front). */
  DISABLE_HTTPS: flag.default(false),

  /* Recording and live streaming, under docker-jitsi-meet's (Jibri's) names; README "Recording and streaming". */
  /** Moderators may record meetings to files on this server. */
  ENABLE_RECORDING: flag.default(false),
  /** Moderators may stream meetings live to an RTMP(S) server (YouTube and the like). */
  ENABLE_LIVESTREAMING: flag.default(false),
  /** Where recordings go: <dir>/<session id>/<room>_<date>.mp4 and metadata.json; default DATA_DIR/recordings. */
  JIBRI_RECORDING_DIR: z.string().min(1).optional(),
  /** Run with the session folder as its argument once a recording is finished (Jibri's finalize script). */
  JIBRI_FINALIZE_RECORDING_SCRIPT_PATH: z.string().min(1).optional(),
  /** Size of the composed video, WIDTHxHEIGHT. */
  JIBRI_RECORDING_RESOLUTION: z
    .string()
    .regex(/^\d{3,4}x\d{3,4}$/, 'must be WIDTHxHEIGHT, e.g. 1280x720')
    .refine((value) => value.split('x').every((side) => Number(side) % 2 === 0), 'width and height must be even (H.264 needs it)')
    .default('1280x720'),
  JIBRI_RECORDING_FRAMERATE: z.coerce.number().int().min(5).max(60).default(30),
  /** Recordings and live streams this machine runs at once; more are refused with a clear message. */
  MAX_RECORDINGS: z.coerce.number().int().min(1).max(64).default(4),
  /** Seconds a recording's download link stays valid. */
  RECORDING_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86400).default(86400),

  /* Limits against abuse and overload; README "Limits" says why each default is what it is. */
  /** Seconds a signalling connection may stay open without joining (waiting in a lobby or running a self-test counts as joined). */
  JOIN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(20),
  /** Signalling connections open at once from one address (IPv6: one /64). */
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(1000),
  /** New signalling connections per address and minute, all of them at once if need be. */
  CONNECTIONS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Joins per address and minute (a reconnect's resume counts). */
  JOINS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Meetings one address may open per minute (joining a running one does not count). */
  NEW_ROOMS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** People in one meeting, its breakout rooms included (Jitsi's muc_max_occupants); more are told the room is full. */
  MAX_PARTICIPANTS: z.coerce.number().int().min(1).default(100),
  /** Rooms (each with its own media router) on this server, breakout rooms included; then new meetings are refused as busy. */
  MAX_ROOMS: z.coerce.number().int().min(1).default(1000),
  /**
   * Media-worker CPU (fraction of a core, averaged over workers) at which stress_level reaches 1 (JVB's cpu-usage
   * load-threshold); from there new meetings are refused and /about/health says overloaded. Above 1 never sheds.
   */
  CPU_LOAD_THRESHOLD: z.coerce.number().positive().max(100).default(0.9),

  /* Authentication, under docker-jitsi-meet's names and defaults so an existing .env carries over. */
  /** Off: anyone with the link joins (a presented JWT is still checked when JWT settings exist). */
  ENABLE_AUTH: flag.default(false),
  /** With ENABLE_AUTH: people without credentials may join a room once an authenticated person is in it. */
  ENABLE_GUESTS: flag.default(false),
  /** Which backend ENABLE_AUTH uses. */
  AUTH_TYPE: z.enum(['internal', 'jwt', 'ldap']).default('internal'),
  /** Where Tertulia keeps its own files (the internal accounts); relative paths are from the working directory, like tertulia.json. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** External login page for people arriving without a token (Jitsi's config.tokenAuthUrl); `{room}` is replaced by the room name. */
  TOKEN_AUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The domain Jitsi tokens name in `sub`; checked only with JWT_ENABLE_DOMAIN_VERIFICATION. */
  XMPP_DOMAIN: z.string().min(1).default('meet.jitsi'),
  /** Tokens' default accepted issuer; required whenever tokens are verified. */
  JWT_APP_ID: z.string().min(1).optional(),
  /** HMAC key of HS256/384/512 tokens. */
  JWT_APP_SECRET: secret.optional(),
  /** Base URL of RS256/384/512 public keys, fetched as <url>/<hex(sha256(kid))>.pem. */
  JWT_ASAP_KEYSERVER: z.url({ protocol: /^https?$/ }).optional(),
  /** Accepted `iss` values, comma-separated; default JWT_APP_ID. `*` accepts any. */
  JWT_ACCEPTED_ISSUERS: commaList(z.string(), 1).optional(),
  /** Accepted `aud` values, comma-separated; `*` (the default) accepts any. */
  JWT_ACCEPTED_AUDIENCES: commaList(z.string(), 1).default(['*']),
  /** With AUTH_TYPE=jwt: people without a token may join too (tokens that are presented are still checked). */
  JWT_ALLOW_EMPTY: flag.default(false),
  /** Also require the token's `sub` to be XMPP_DOMAIN (or `*`). */
  JWT_ENABLE_DOMAIN_VERIFICATION: flag.default(false),
  /** One directory server, ldap:// or ldaps://. */
  LDAP_URL: z.url({ protocol: /^ldaps?$/ }).optional(),
  /** Where user entries are searched (LDAP_AUTH_METHOD=bind). */
  LDAP_BASE: z.string().min(1).optional(),
  /** Service account for the search; omit both for an anonymous search. */
  LDAP_BINDDN: z.string().min(1).optional(),
  LDAP_BINDPW: z.string().min(1).optional(),
  /** saslauthd's ldap_filter: %u is the login name (also %U: its part before @, %d: the part after, %%: a percent sign). */
  LDAP_FILTER: z
    .string()
    .min(1)
    .default('uid=%u')
    .refine((filter) => filter.includes('%u') || filter.includes('%U'), 'must contain %u (the login name), or every login would match the same entry')
    .refine((filter) => !LDAP_FILTER_TOKENS.test(filter.replaceAll('%%', '')), 'only the tokens %u, %U, %d and %% are supported'),
  /** bind: search the user's entry, then bind as it. fastbind: LDAP_FILTER is the user's DN; bind as it directly (saslauthd's methods). */
  LDAP_AUTH_METHOD: z
    .enum(['bind', 'fastbind', 'custom'])
    .default('bind')
    .refine((method) => method !== 'custom', 'custom (comparing userPassword hashes) is not supported; use bind or fastbind'),
  /** Only LDAPv3 is spoken (v2 is obsolete and has no StartTLS); kept so an existing LDAP_VERSION=3 is accepted. */
  LDAP_VERSION: z.coerce.number().pipe(z.literal(3, 'only 3 is supported')).default(3),
  /** Connect with TLS (ldaps://). */
  LDAP_USE_TLS: flag.default(false),
  /** Upgrade an ldap:// connection with StartTLS before sending any password. */
  LDAP_START_TLS: flag.default(false),
  /** Verify the directory's certificate. Off by default as in docker-jitsi-meet; the server warns at start. */
  LDAP_TLS_CHECK_PEER: flag.default(false),
  /** CA certificates (PEM) the directory's certificate must chain to; default: Node's bundled public CAs. */
  LDAP_TLS_CACERT_FILE: z.string().min(1).optional(),
  LDAP_TLS_CACERT_DIR: z.string().min(1).optional(),
  LDAP_TLS_CIPHERS: cipherList.optional(),

  /* TURN and STUN, under docker-jitsi-meet's names and defaults (coturn with use-auth-secret). */
  /** TURN servers (host names or addresses, comma-separated) reached with plain TURN over TURN_TRANSPORT. */
  TURN_HOST: commaList(hostName, 1).optional(),
  TURN_PORT: port.default(443),
  /** udp and/or tcp, comma-separated: one turn: URL per host and transport. */
  TURN_TRANSPORT: commaList(z.enum(['udp', 'tcp'], 'must be udp or tcp (TLS is TURNS_HOST)'), 1).default(['tcp']),
  /** TURN servers reached over TLS (turns:), the way through networks that allow only HTTPS. */
  TURNS_HOST: commaList(hostName, 1).optional(),
  TURNS_PORT: port.default(443),
  /** coturn's static-auth-secret: browsers get credentials derived from it, never the secret itself. */
  TURN_CREDENTIALS: secret.optional(),
  /** Seconds issued TURN credentials stay valid; participants get new ones before that. */
  TURN_TTL: z.coerce.number().int().min(10).max(7 * 86400).default(86400),
  /** docker-jitsi-meet's fixed TURN account; refused here (see checkTurnSettings). */
  TURN_USERNAME: z.string().optional(),
  TURN_PASSWORD: z.string().optional(),
  /** STUN servers for the peer-to-peer path (Jitsi's p2p.stunServers): host:port or stun:host:port, comma-separated. */
  P2P_STUN_SERVERS: commaList(stunServer).default([]),
  /** One more STUN server for the peer-to-peer path, as docker-jitsi-meet's prosody names it. */
  STUN_HOST: hostName.optional(),
  STUN_PORT: port.default(443),
});

const ConfigSchema = ConfigFields.superRefine((config, ctx) => {
  if (config.WEBHOOK_URLS.length > 0 && !config.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET'],
      message: 'WEBHOOK_URLS is set, so WEBHOOK_SECRET is required: receivers check each webhook against its signature',
    });
  }
}).superRefine(checkClusterSettings).superRefine(checkTurnSettings).superRefine(checkHttpsSettings).superRefine(checkAuthSettings);

export type Config = z.infer<typeof ConfigSchema>;

/** How the server is reached: plain HTTP on PORT (the default, or TLS ends at a proxy), or HTTPS of its own. */
export type HttpsMode = { kind: 'off' } | { kind: 'acme'; domain: string } | { kind: 'files'; certFile: string; keyFile: string };

/** The settings httpsMode and checkHttpsSettings look at (typed on their own, so the schema does not refer to itself). */
interface HttpsSettings {
  DISABLE_HTTPS: boolean;
  ENABLE_LETSENCRYPT: boolean;
  LETSENCRYPT_DOMAIN?: string | undefined;
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
  HTTPS_PORT: number;
  HTTP_PORT: number;
}

export function httpsMode(config: HttpsSettings): HttpsMode {
  if (config.DISABLE_HTTPS) return { kind: 'off' };
  if (config.ENABLE_LETSENCRYPT) return { kind: 'acme', domain: config.LETSENCRYPT_DOMAIN! };
  if (config.TLS_CERT_FILE !== undefined) return { kind: 'files', certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE! };
  return { kind: 'off' };
}

/** The address people open: PUBLIC_URL, or what the HTTPS settings imply, or undefined (plain HTTP, only the bound address is known). */
export function publicUrl(config: Config): string | undefined {
  if (config.PUBLIC_URL !== undefined) return config.PUBLIC_URL.replace(/\/$/, '');
  const mode = httpsMode(config);
  if (mode.kind !== 'acme') return undefined;
  return `https://${mode.domain}${config.HTTPS_PORT === 443 ? '' : `:${config.HTTPS_PORT}`}`;
}

/** HTTPS settings that cannot work together; each message says what to set. */
function checkHttpsSettings(config: HttpsSettings, ctx: z.RefinementCtx): void {
  const problem = (key: keyof HttpsSettings, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (config.ENABLE_LETSENCRYPT && config.LETSENCRYPT_DOMAIN === undefined) {
    problem('LETSENCRYPT_DOMAIN', 'ENABLE_LETSENCRYPT=1 needs LETSENCRYPT_DOMAIN: the domain name (pointing at this machine) the certificate is for');
  }
  if ((config.TLS_CERT_FILE === undefined) !== (config.TLS_KEY_FILE === undefined)) {
    problem('TLS_KEY_FILE', 'set both TLS_CERT_FILE (the certificate chain, PEM) and TLS_KEY_FILE (its private key, PEM), or neither');
  }
  if (config.ENABLE_LETSENCRYPT && config.TLS_CERT_FILE !== undefined) {
    problem('TLS_CERT_FILE', 'ENABLE_LETSENCRYPT=1 obtains the certificate itself: remove TLS_CERT_FILE/TLS_KEY_FILE, or turn ENABLE_LETSENCRYPT off to use those files');
  }
  if (config.DISABLE_HTTPS && (config.ENABLE_LETSENCRYPT || config.TLS_CERT_FILE !== undefined)) {
    problem('DISABLE_HTTPS', 'DISABLE_HTTPS=1 contradicts ENABLE_LETSENCRYPT/TLS_CERT_FILE: remove one or the other');
  }
  if (httpsMode(config).kind !== 'off' && config.HTTPS_PORT !== 0 && config.HTTPS_PORT === config.HTTP_PORT) {
    problem('HTTP_PORT', `HTTP_PORT and HTTPS_PORT are both ${config.HTTPS_PORT}; give them different ports (80 and 443 on a public server)`);
  }
}

/** Scale-out settings that cannot work together; each message says what to set. */
function checkClusterSettings(
  config: {
    REDIS_URL?: string | undefined;
    BRIDGE_SECRET?: string | undefined;
    MEDIA_WORKERS: number;
    BRIDGE_TLS_CERT_FILE?: string | undefined;
    BRIDGE_TLS_KEY_FILE?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if ((config.BRIDGE_TLS_CERT_FILE === undefined) !== (config.BRIDGE_TLS_KEY_FILE === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['BRIDGE_TLS_KEY_FILE'],
      message: 'set both BRIDGE_TLS_CERT_FILE (the certificate chain, PEM) and BRIDGE_TLS_KEY_FILE (its private key, PEM), or neither',
    });
  }
  if (config.REDIS_URL !== undefined && config.BRIDGE_SECRET === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['BRIDGE_SECRET'],
      message: 'REDIS_URL is set, so BRIDGE_SECRET is required: the same long random string on every bridge and signalling node (e.g. `openssl rand -hex 32`)',
    });
  }
  if (config.REDIS_URL === undefined && config.MEDIA_WORKERS === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['MEDIA_WORKERS'],
      message: 'MEDIA_WORKERS=0 leaves this server without media; it needs REDIS_URL to find media bridges (`tertulia bridge`) instead',
    });
  }
}

/** Combinations of auth settings that cannot work; each message says what to set. */
function checkAuthSettings(config: Config, ctx: z.RefinementCtx): void {
  const problem = (key: keyof Config, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  const ldapActive = config.ENABLE_AUTH && config.AUTH_TYPE === 'ldap';
  const tokensVerified = config.JWT_APP_SECRET !== undefined || config.JWT_ASAP_KEYSERVER !== undefined;

  if (config.ENABLE_AUTH && config.AUTH_TYPE === 'jwt' && !tokensVerified) {
    problem('JWT_APP_SECRET', 'AUTH_TYPE=jwt needs JWT_APP_SECRET (HS256/384/512 tokens) or JWT_ASAP_KEYSERVER (RS256/384/512 tokens with a kid)');
  }
  if ((tokensVerified || (config.ENABLE_AUTH && config.AUTH_TYPE === 'jwt')) && config.JWT_APP_ID === undefined) {
    problem('JWT_APP_ID', 'JWT_APP_ID is required with AUTH_TYPE=jwt, JWT_APP_SECRET or JWT_ASAP_KEYSERVER: it is the issuer tokens are accepted from by default');
  }
  if (ldapActive && config.LDAP_URL === undefined) problem('LDAP_URL', 'AUTH_TYPE=ldap needs LDAP_URL, e.g. ldaps://ldap.example.org');
  if (ldapActive && config.LDAP_AUTH_METHOD === 'bind' && config.LDAP_BASE === undefined) {
    problem('LDAP_BASE', 'AUTH_TYPE=ldap needs LDAP_BASE, where user entries are searched (e.g. ou=people,dc=example,dc=org)');
  }
  if (config.LDAP_AUTH_METHOD === 'fastbind' && config.LDAP_FILTER.startsWith('(')) {
    problem('LDAP_FILTER', 'with LDAP_AUTH_METHOD=fastbind, LDAP_FILTER is the user\'s DN, e.g. uid=%u,ou=people,dc=example,dc=org');
  }
  if ((config.LDAP_BINDDN === undefined) !== (config.LDAP_BINDPW === undefined)) {
    problem('LDAP_BINDPW', 'set both LDAP_BINDDN and LDAP_BINDPW for a service account, or neither for an anonymous search');
  }
  if (config.LDAP_USE_TLS && config.LDAP_START_TLS) {
    problem('LDAP_START_TLS', 'set LDAP_USE_TLS (ldaps://) or LDAP_START_TLS (ldap:// upgraded), not both');
  } else if (config.LDAP_USE_TLS && config.LDAP_URL?.startsWith('ldap://')) {
    problem('LDAP_URL', 'LDAP_USE_TLS=1 needs an ldaps:// URL (or use LDAP_START_TLS=1 to upgrade ldap://)');
  } else if (config.LDAP_START_TLS && config.LDAP_URL?.startsWith('ldaps://')) {
    problem('LDAP_URL', 'LDAP_START_TLS=1 needs an ldap:// URL: ldaps:// is already encrypted');
  }
}

/** The settings checkTurnSettings looks at (typed on their own, so the schema does not refer to itself). */
interface TurnSettings {
  TURN_HOST?: string[] | undefined;
  TURNS_HOST?: string[] | undefined;
  TURN_CREDENTIALS?: string | undefined;
  TURN_USERNAME?: string | undefined;
  TURN_PASSWORD?: string | undefined;
}

/** TURN settings that cannot work together; each message says what to set. */
function checkTurnSettings(config: TurnSettings, ctx: z.RefinementCtx): void {
  const problem = (key: keyof TurnSettings, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  const hosts = [...(config.TURN_HOST ?? []), ...(config.TURNS_HOST ?? [])];
  if (config.TURN_USERNAME !== undefined || config.TURN_PASSWORD !== undefined) {
    problem(
      'TURN_USERNAME',
      'a fixed TURN account would give every browser a password that never expires; configure coturn with use-auth-secret and static-auth-secret, and set that secret as TURN_CREDENTIALS instead',
    );
  }
  if (hosts.length > 0 && config.TURN_CREDENTIALS === undefined) {
    problem(
      'TURN_CREDENTIALS',
      `${config.TURN_HOST ? 'TURN_HOST' : 'TURNS_HOST'} is set, so TURN_CREDENTIALS is required: it is coturn's static-auth-secret, from which each participant gets time-limited credentials`,
    );
  }
  if (hosts.length === 0 && config.TURN_CREDENTIALS !== undefined) {
    problem('TURN_HOST', 'TURN_CREDENTIALS is set but no TURN server is: set TURN_HOST (turn: over TURN_TRANSPORT) and/or TURNS_HOST (turns:, TLS)');
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The text of a file a setting names (a CA bundle, …), read at start: a wrong path stops the server naming the setting. */
export function readSettingFile(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Reads and validates the configuration; throws ConfigError with a message that says what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseSettings(ConfigSchema, env);
}

/** REDIS_URL alone (`tertulia status` reads the registry and needs nothing else), from the same file and environment. */
export function loadRedisUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return parseSettings(ConfigFields.pick({ REDIS_URL: true }), env).REDIS_URL;
}

function parseSettings<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const fromFile = readConfigFile(env['TERTULIA_CONFIG']);
  const keys = Object.keys(ConfigFields.shape);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const unknownKeys = Object.keys(fromFile).filter((key) => !keys.includes(key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(`Unknown setting(s) in the config file: ${unknownKeys.join(', ')}. Known settings: ${keys.join(', ')}.`);
  }
  const parsed = schema.safeParse(merged);
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

/**
 * The address other machines reach this one's bridge channel at, for the default BRIDGE_URL:
 * BRIDGE_HOST when it names one, else PUBLIC_IP's local side (the first RTC_LISTEN_IPS), else
 * the first non-loopback IPv4 address.
 */
/** Where this bridge's pipes to other bridges listen (a meeting spanning bridges): its media address, as other bridges reach it. */
export function pipeListenAddress(config: Config): ListenAddress {
  const [first] = mediaListenAddresses(config);
  const wildcard = first!.ip === '0.0.0.0' || first!.ip === '::';
  return first!.announcedAddress !== undefined || !wildcard ? first! : { ip: first!.ip, announcedAddress: bridgeAdvertisedHost(config) };
}

export function bridgeAdvertisedHost(config: Config): string {
  if (config.BRIDGE_HOST !== '0.0.0.0' && config.BRIDGE_HOST !== '::') return config.BRIDGE_HOST;
  if (config.RTC_LISTEN_IPS?.[0]) return config.RTC_LISTEN_IPS[0];
  const external = Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal);
  return external?.address ?? '127.0.0.1';
}
