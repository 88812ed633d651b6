import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { MediaBridge } from '@tertulia/media';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createAuthenticator, jwtVerifier } from './auth/create-authenticator.js';
import { startMedia, type StartedMedia } from './cluster/start-media.js';
import { startNodeHeartbeat } from './cluster/node-heartbeat.js';
import { RestForwarding } from './cluster/rest-forwarding.js';
import { RoomRouter } from './cluster/room-router.js';
import { RoomLeases } from '@tertulia/cluster';
import { bridgeAdvertisedHost, httpsMode, publicUrl, type Config } from './config.js';
import { IceServerIssuer, iceSettingsFrom } from './connectivity/ice-servers.js';
import { SelfTestService } from './connectivity/self-test.js';
import { buildApp } from './http/app.js';
import { listenFailure } from './http/listen.js';
import { AnyApiAuthenticator, ApiKeyAuthenticator, JwtApiAuthenticator } from './http/auth.js';
import { colibriStats } from './ops/colibri-stats.js';
import { Metrics } from './ops/metrics.js';
import { startOpsApp, type OpsSurface } from './ops/ops-app.js';
import type { OpsContext } from './ops/ops-context.js';
import { ServerLoad } from './ops/server-load.js';
import { RecorderClient } from '@tertulia/recorder';
import { RecordingLinks } from './recording/recording-links.js';
import { RecordingService } from './recording/recording-service.js';
import { RoomRegistry } from './rooms/room-registry.js';
import { AddressLimits } from './signalling/address-limits.js';
import { FailedAttempts } from './signalling/admission.js';
import type { ServerContext } from './signalling/connection.js';
import { AcmeChallenges } from './tls/acme-challenges.js';
import type { CertificateSource } from './tls/certificate-source.js';
import { HttpsFront } from './tls/https-front.js';
import { openHttps } from './tls/open-https.js';
import { version } from './version.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface RunningServer {
  /** http://host:port the server listens on. */
  readonly url: string;
  /** http://host:port of the operations listener (stats, metrics, health, REST API). */
  readonly opsUrl: string;
  readonly registry: RoomRegistry;
  /** Stops taking joins, closes rooms and media, and stops listening. Idempotent. */
  close(): Promise<void>;
  /** With REDIS_URL: takes no new meetings and hands those held here to other signalling nodes (RoomRouter.drain). */
  drain?(): Promise<{ handedOver: number; kept: number }>;
}

const require = createRequire(import.meta.url);

/** Starts media workers, the public HTTP/WebSocket server and the operations listener from a validated config. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // First, so a setting that only fails when used (an unreadable CA file) stops the start before any worker spawns.
  const authenticator = createAuthenticator(config, logger.child({ component: 'auth' }));
  const verifier = jwtVerifier(config, logger.child({ component: 'auth' }));
  const ice = new IceServerIssuer(iceSettingsFrom(config));
  const media = await startMedia(config, logger);
  try {
    return await serveWith(config, logger, { authenticator, verifier, ice, media });
  } catch (error) {
    // A start that fails half way (an unusable certificate, a port taken) must not leave media workers running.
    await media.close();
    await authenticator.close();
    throw error;
  }
}

interface StartedParts {
  authenticator: ReturnType<typeof createAuthenticator>;
  verifier: ReturnType<typeof jwtVerifier>;
  ice: IceServerIssuer;
  media: StartedMedia;
}

/** Everything after the media workers: rooms, recordings, the public and operations listeners. */
async function serveWith(config: Config, logger: Logger, { authenticator, verifier, ice, media }: StartedParts): Promise<RunningServer> {
  const bridge: MediaBridge = media.bridge;
  const load = new ServerLoad(bridge, config.CPU_LOAD_THRESHOLD);
  const recordingDir = resolve(config.JIBRI_RECORDING_DIR ?? join(config.DATA_DIR, 'recordings'));
  const recordingOn = config.ENABLE_RECORDING || config.ENABLE_LIVESTREAMING;
  // Made only when recording is on: a laptop's `npm start` writes nothing to DATA_DIR.
  const links = config.ENABLE_RECORDING ? await RecordingLinks.open(config.DATA_DIR) : undefined;
  let meetingBase = '';
  const [width, height] = config.JIBRI_RECORDING_RESOLUTION.split('x').map(Number) as [number, number];
  const recordings = new RecordingService(
    {
      enabled: { file: config.ENABLE_RECORDING, stream: config.ENABLE_LIVESTREAMING },
      dir: recordingDir,
      finalizeScript: config.JIBRI_FINALIZE_RECORDING_SCRIPT_PATH,
      width,
      height,
      fps: config.JIBRI_RECORDING_FRAMERATE,
      maxRecordings: config.MAX_RECORDINGS,
      linkTtlSeconds: config.RECORDING_LINK_TTL_SECONDS,
      meetingUrl: (room) => `${meetingBase}/${encodeURIComponent(room.name)}`,
      remoteMedia: media.cluster !== undefined,
    },
    new RecorderClient(logger.child({ component: 'recorder' })),
    links,
    logger.child({ component: 'recording' }),
  );
  if (recordingOn) logger.info({ dir: recordingDir, file: config.ENABLE_RECORDING, stream: config.ENABLE_LIVESTREAMING, max: config.MAX_RECORDINGS }, 'recording on');
  const registry = new RoomRegistry(
    bridge,
    logger.child({ component: 'rooms' }),
    {
      autoOwner: !config.ENABLE_AUTH,
      p2p: { enabled: config.P2P_ENABLED, backDelayMs: config.P2P_BACK_DELAY_SECONDS * 1000 },
      pollCreators: config.POLL_CREATORS,
      e2eeControl: config.E2EE_CONTROL,
      channelLastN: config.CHANNEL_LAST_N,
      recordings,
    },
    { maxRooms: config.MAX_ROOMS, overloaded: () => load.overloaded },
  );
  const leases = media.cluster && new RoomLeases(media.cluster.redis, media.cluster.registry, media.cluster.nodeId);
  const router =
    media.cluster &&
    leases &&
    new RoomRouter(
      leases,
      registry,
      config.BRIDGE_SECRET!,
      media.cluster.nodeId,
      config.REGION,
      config.RECONNECT_GRACE_SECONDS * 1000,
      logger.child({ component: 'rooms' }),
    );
  const context: ServerContext = {
    registry,
    logger: logger.child({ component: 'signalling' }),
    reconnectGraceMs: config.RECONNECT_GRACE_SECONDS * 1000,
    authenticator,
    access: {
      authRequired: config.ENABLE_AUTH,
      // JWT_ALLOW_EMPTY lets people without a token in; here they come as guests, who cannot open a meeting on their own.
      guestsAllowed: config.ENABLE_GUESTS || (config.AUTH_TYPE === 'jwt' && config.JWT_ALLOW_EMPTY),
      loginUrl: config.TOKEN_AUTH_URL,
    },
    failedAttempts: new FailedAttempts(),
    ice,
    selfTest: new SelfTestService(bridge, ice),
    addressLimits: new AddressLimits({
      maxConnections: config.MAX_CONNECTIONS_PER_IP,
      connectionsPerMinute: config.CONNECTIONS_PER_IP_PER_MINUTE,
      joinsPerMinute: config.JOINS_PER_IP_PER_MINUTE,
      newRoomsPerMinute: config.NEW_ROOMS_PER_IP_PER_MINUTE,
    }),
    joinTimeoutMs: config.JOIN_TIMEOUT_SECONDS * 1000,
    maxParticipants: config.MAX_PARTICIPANTS,
    recordings,
    draining: false,
    router,
  };
  const webhooks =
    config.WEBHOOK_URLS.length > 0 && config.WEBHOOK_SECRET
      ? new WebhookDispatcher({ urls: config.WEBHOOK_URLS, secret: config.WEBHOOK_SECRET, logger: logger.child({ component: 'webhooks' }) })
      : undefined;
  webhooks?.listen(registry);
  webhooks?.listenRecordings(recordings);

  // Draining as health and stats say it: shutting down, or (several nodes) handing meetings over.
  const ops: OpsContext = { registry, bridge, server: { get draining() { return context.draining || (router?.draining ?? false); } }, load, version };
  const surface: OpsSurface = {
    ops,
    metrics: new Metrics(() => colibriStats(ops)),
    auth: new AnyApiAuthenticator([
      new ApiKeyAuthenticator(config.API_KEYS),
      ...(verifier ? [new JwtApiAuthenticator(verifier)] : []),
    ]),
    forwarding: media.cluster && leases && new RestForwarding(media.cluster, leases, config.BRIDGE_SECRET!, logger.child({ component: 'rest' })),
  };
  const https = httpsMode(config);
  const challenges = new AcmeChallenges();
  let front: HttpsFront | undefined;
  const app = await buildApp({
    context,
    logger,
    webRoot: config.WEB_ROOT ?? defaultWebRoot(),
    ops: surface,
    opsToken: config.OPS_TOKEN,
    trustedProxies: config.TRUSTED_PROXIES,
    allowedEmbedders: config.ALLOWED_EMBEDDERS,
    hsts: config.ENABLE_HSTS,
    recordingDownloads: links && { links, dir: recordingDir },
    serverFactory:
      https.kind === 'off'
        ? undefined
        : (handler) =>
            (front = new HttpsFront(handler, {
              host: config.HOST,
              httpsPort: config.HTTPS_PORT,
              httpPort: config.HTTP_PORT,
              challenges,
              redirect: config.ENABLE_HTTP_REDIRECT,
              redirectTo: publicUrl(config),
              logger,
            })).httpsServer,
  });
  let certificates: CertificateSource | undefined;
  if (front && https.kind !== 'off') {
    certificates = await openHttps(app, front, https, config, challenges, logger);
  } else {
    await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(listenFailure(error, config.PORT, 'PORT'), { cause: error });
    });
  }
  const opsApp = await startOpsApp({ surface, drain: router, logger: logger.child({ component: 'ops' }), host: config.OPS_HOST, port: config.OPS_PORT });
  const url = front ? httpsUrlOf(front, config) : urlOf(app, config.HOST);
  meetingBase = publicUrl(config) ?? url;
  const opsUrl = urlOf(opsApp, config.OPS_HOST);
  const signallingUrl = config.NODE_URL ?? (config.HOST === '0.0.0.0' || config.HOST === '::' ? url.replace(/\/\/[^/]+:/, `//${bridgeAdvertisedHost(config)}:`) : url);
  const heartbeat =
    media.cluster &&
    (await startNodeHeartbeat(media.cluster, { url: meetingBase, signallingUrl, region: config.REGION, version, registry, draining: () => ops.server.draining, logger }));
  logger.info(
    {
      url,
      opsUrl,
      mediaPorts: config.MEDIA_WORKERS > 0 ? `${config.RTC_PORT}-${config.RTC_PORT + config.MEDIA_WORKERS - 1}` : 'none (media bridges in Redis)',
      webhooks: config.WEBHOOK_URLS.length,
    },
    'Tertulia is ready',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    opsUrl,
    registry,
    ...(router ? { drain: () => router.drain() } : {}),
    close() {
      closing ??= (async () => {
        context.draining = true;
        await heartbeat?.stop();
        router?.stop();
        // Before the rooms close, so every recording's file is finished rather than cut.
        await recordings.closeAll();
        registry.closeAll();
        certificates?.close();
        await Promise.all([app.close(), front?.close(), opsApp.close(), webhooks?.close(), authenticator.close()]);
        await media.close();
      })();
      return closing;
    },
  };
}

function urlOf(app: FastifyInstance, configuredHost: string): string {
  const { port } = app.server.address() as AddressInfo;
  return `http://${displayHost(configuredHost)}:${port}`;
}

/** PUBLIC_URL (or the Let's Encrypt domain), else this machine's HTTPS port. */
function httpsUrlOf(front: HttpsFront, config: Config): string {
  return publicUrl(config) ?? `https://${displayHost(config.HOST)}:${(front.httpsAddress as AddressInfo).port}`;
}

function displayHost(configuredHost: string): string {
  const host = configuredHost === '0.0.0.0' || configuredHost === '::' ? 'localhost' : configuredHost;
  return host.includes(':') ? `[${host}]` : host;
}

function defaultWebRoot(): string {
  return join(dirname(require.resolve('@tertulia/web/package.json')), 'dist');
}
