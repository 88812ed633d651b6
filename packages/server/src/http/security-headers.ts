import type { FastifyInstance } from 'fastify';
import { pageStyleHashes } from './pages.js';

/**
 * Everything the web client loads comes from this server: its scripts and styles,
 * the favicon and data: images in the stylesheet, and the signalling WebSocket
 * ('self' covers ws:/wss: to the same host). Media flows over WebRTC, which CSP
 * does not govern, and remote video plays from MediaStreams (srcObject), not URLs.
 * The server-rendered pages' inline styles are allowed by hash, not by 'unsafe-inline'.
 */
export function contentSecurityPolicy(allowedEmbedders: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${pageStyleHashes.map((hash) => `'${hash}'`).join(' ')}`,
    // Avatars an embedder names (userInfo.avatarURL, avatarUrl) come from its own https server.
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
    `frame-ancestors ${allowedEmbedders.join(' ')}`,
  ].join('; ');
}

/**
 * Devices a meeting needs, for this origin only: an embedding page passes them on
 * with its iframe's allow= attribute (the meeting in the iframe is still "self").
 * Powerful features the app never uses are switched off for it and anything it frames.
 */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'microphone=(self)',
  'display-capture=(self)',
  'fullscreen=(self)',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
].join(', ');

/** One year: browsers keep to HTTPS for that long after a visit over HTTPS. Subdomains are the operator's business. */
const HSTS = 'max-age=31536000';

/** Adds the security headers to every response of the public app; HSTS (unless ENABLE_HSTS=0) only to requests that arrived over HTTPS. */
export function registerSecurityHeaders(app: FastifyInstance, { allowedEmbedders, hsts }: { allowedEmbedders: readonly string[]; hsts: boolean }): void {
  const csp = contentSecurityPolicy(allowedEmbedders);
  app.addHook('onSend', async (request, reply, payload) => {
    // A room's name is its secret: it must not reach other sites in Referer.
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', csp);
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    if (hsts && request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
