import { httpsMode, publicUrl, type Config } from '../config.js';

/** A port people's browsers connect to, with the setting that chooses it (for messages). */
export interface WebPort {
  port: number;
  setting: 'HTTPS_PORT' | 'HTTP_PORT' | 'PORT';
}

/** What the configuration says the public side of this deployment is. */
export interface DeploymentTarget {
  /** The public host name: PUBLIC_URL's host, else LETSENCRYPT_DOMAIN; undefined when neither is set. */
  domain: string | undefined;
  https: boolean;
  webPorts: WebPort[];
  /** The plain-HTTP port (the instance route answers there, as do ACME HTTP-01 challenges). */
  httpPort: number;
}

export function deploymentTarget(config: Config): DeploymentTarget {
  const url = publicUrl(config);
  const https = httpsMode(config).kind !== 'off';
  // URL.hostname keeps an IPv6 literal's brackets; DNS and sockets want it bare.
  const domain = url !== undefined ? new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') : config.LETSENCRYPT_DOMAIN;
  return {
    domain,
    https,
    webPorts: https
      ? [
          { port: config.HTTPS_PORT, setting: 'HTTPS_PORT' },
          { port: config.HTTP_PORT, setting: 'HTTP_PORT' },
        ]
      : [{ port: config.PORT, setting: 'PORT' }],
    httpPort: https ? config.HTTP_PORT : config.PORT,
  };
}
