import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from './wait.js';

const fixture = (name: string) => readFileSync(new URL(`../e2e/fixtures/${name}`, import.meta.url), 'utf8');

/**
 * A page embedding Tertulia with Jitsi's iframe API, served from its own origin
 * (127.0.0.1:port), and a hostile widget from another (localhost:port). With
 * `crossSite` the page is on localhost:port instead (the widget on 127.0.0.1:port),
 * so a Tertulia on 127.0.0.1 is embedded by another site: the browser treats its
 * storage as third-party. `tertuliaUrl` may be a function, read per request, for a
 * server started after the site (one told the site's origin, as in ALLOWED_EMBEDDERS).
 */
export async function startHostSite(
  tertuliaUrl: string | (() => string),
  { crossSite = false } = {},
): Promise<{ server: Server; url: string }> {
  const [pageHost, widgetHost] = crossSite ? ['localhost', '127.0.0.1'] : ['127.0.0.1', 'localhost'];
  const server = createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    const page = request.url?.startsWith('/evil') ? fixture('evil-widget.html') : fixture('jitsi-host.html');
    response.setHeader('content-type', 'text/html');
    response.end(page.replaceAll('{{SERVER}}', typeof tertuliaUrl === 'string' ? tertuliaUrl : tertuliaUrl()).replaceAll('{{EVIL}}', `http://${widgetHost}:${port}/evil`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://${pageHost}:${(server.address() as AddressInfo).port}` };
}

export type HostEvent = { name: string; data: any };

/** A host page in Chromium (playwright-core) or Firefox (puppeteer-core): these helpers only evaluate in it. */
export interface HostPage {
  evaluate(read: () => HostEvent[]): Promise<HostEvent[]>;
}

/** Every iframe API event the host page has seen, in order. */
export const eventsOf = (host: HostPage): Promise<HostEvent[]> => host.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

/** The data of the first `name` event the host page has seen that `match` accepts, waiting for it if need be. */
export async function waitForEvent(host: HostPage, name: string, match: (data: any) => boolean = () => true, timeoutMs = 15_000): Promise<any> {
  const wanted = (event: HostEvent) => event.name === name && match(event.data);
  const events = await until(() => eventsOf(host), (events) => events.some(wanted), `a ${name} event on the host page`, timeoutMs);
  return events.find(wanted)!.data;
}
