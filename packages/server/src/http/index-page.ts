import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED_EMBEDDERS_META } from '@tertulia/iframe-api/wire';

/**
 * The web client's index.html with the origins allowed to embed it written into a
 * meta tag: data, not script, so the page learns the list under a script-src 'self' policy.
 */
export function indexPage(webRoot: string, allowedEmbedders: readonly string[]): string {
  let html: string;
  try {
    html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  } catch {
    throw new Error(`The web client is not built (no index.html in ${webRoot}). Run "npm start" or "npm run build" first.`);
  }
  // Origins are validated by the config (scheme://host:port or *), so they need no escaping inside the attribute.
  const meta = `<meta name="${ALLOWED_EMBEDDERS_META}" content="${allowedEmbedders.join(' ')}" />`;
  return html.replace('</head>', `  ${meta}\n  </head>`);
}
