import { SignJWT } from 'jose';
import type { Config } from '../../config.js';

export interface TokenRequest {
  /** Room name, or `*` for every room. */
  room: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  name?: string | undefined;
  email?: string | undefined;
  moderator?: boolean | undefined;
  /** `sub`; default XMPP_DOMAIN, which passes JWT_ENABLE_DOMAIN_VERIFICATION. */
  sub?: string | undefined;
  /** Feature names granted in context.features. */
  features?: readonly string[] | undefined;
}

/**
 * A Jitsi-format HS256 token from JWT_APP_ID/JWT_APP_SECRET, the same shape
 * integrators' code produces: for testing, and for small sites without a token service.
 */
export async function mintToken(config: Pick<Config, 'JWT_APP_ID' | 'JWT_APP_SECRET' | 'JWT_ACCEPTED_AUDIENCES' | 'XMPP_DOMAIN'>, request: TokenRequest): Promise<string> {
  if (!config.JWT_APP_ID || !config.JWT_APP_SECRET) throw new Error('Set JWT_APP_ID and JWT_APP_SECRET to mint tokens.');
  const user = {
    ...(request.name ? { name: request.name } : {}),
    ...(request.email ? { email: request.email } : {}),
    ...(request.moderator ? { moderator: true } : {}),
  };
  const features = Object.fromEntries((request.features ?? []).map((feature) => [feature, true]));
  const audience = config.JWT_ACCEPTED_AUDIENCES.find((value) => value !== '*') ?? config.JWT_APP_ID;
  return new SignJWT({ room: request.room, context: { user, features } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(config.JWT_APP_ID)
    .setAudience(audience)
    .setSubject(request.sub ?? config.XMPP_DOMAIN)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + request.ttlSeconds)
    .sign(new TextEncoder().encode(config.JWT_APP_SECRET));
}
