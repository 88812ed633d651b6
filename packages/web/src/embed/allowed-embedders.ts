import { ALLOWED_EMBEDDERS_META } from '@tertulia/iframe-api/wire';

/**
 * The host origins the server lets embed meetings (ALLOWED_EMBEDDERS), from the
 * meta tag it writes into the page. Without the tag (a page not served by the
 * server) no host is allowed: the bridge fails closed.
 */
export function allowedEmbedders(doc: Document = document): string[] {
  const content = doc.querySelector(`meta[name="${ALLOWED_EMBEDDERS_META}"]`)?.getAttribute('content') ?? '';
  return content.split(' ').filter(Boolean);
}

/** Whether the bridge may talk to a host page of `origin`; the browser's frame-ancestors check comes first, this one backs it. */
export function embedderAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(origin);
}
