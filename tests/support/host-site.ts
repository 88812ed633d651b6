import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

const fixture = (name: string) => readFileSync(new URL(`../e2e/fixtures/${name}`, import.meta.url), 'utf8');

/**
 * A page embedding Tertulia with Jitsi's iframe API, served from its own origin
 * (127.0.0.1:port), and a hostile widget from another (localhost:port).
 * `tertuliaUrl` may be a function, read per request, for a server started after
 * the site (one told the site's origin, as in ALLOWED_EMBEDDERS).
 */
export async function startHostSite(tertuliaUrl: string | (() => string)): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    const page = request.url?.startsWith('/evil') ? fixture('evil-widget.html') : fixture('jitsi-host.html');
    response.setHeader('content-type', 'text/html');
    response.end(page.replaceAll('{{SERVER}}', typeof tertuliaUrl === 'string' ? tertuliaUrl : tertuliaUrl()).replaceAll('{{EVIL}}', `http://localhost:${port}/evil`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export type HostEvent = { name: string; data: any };

/** Every iframe API event the host page has seen, in order. */
export const eventsOf = (host: Page): Promise<HostEvent[]> => host.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

/** The data of the first `name` event the host page has seen that `match` accepts, waiting for it if need be. */
export async function waitForEvent(host: Page, name: string, match: (data: any) => boolean = () => true): Promise<any> {
  const handle = await host.waitForFunction(
    ({ name, match }) => {
      const found = (window as unknown as { events: HostEvent[] }).events.find((e) => e.name === name && new Function('d', `return (${match})(d)`)(e.data));
      return found ? found.data : undefined;
    },
    { name, match: match.toString() },
    { timeout: 15_000 },
  );
  return handle.jsonValue();
}
