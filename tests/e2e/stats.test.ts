import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';

type Stats = Record<string, any>;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** Debian's Prometheus, scraping the ops listener every second, with its own storage, on loopback only. */
class Prometheus {
  readonly #process: ChildProcess;
  readonly #output: string[] = [];

  static async start(target: string): Promise<Prometheus> {
    const dir = await mkdtemp(join(tmpdir(), 'tertulia-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: tertulia',
        `    static_configs: [{ targets: ['${new URL(target).host}'] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    return new Prometheus(dir, port, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
  }

  private constructor(
    readonly dir: string,
    readonly port: number,
    args: string[],
  ) {
    this.#process = spawn(process.env['PROMETHEUS_PATH'] ?? '/usr/bin/prometheus', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.#process.stdout!, this.#process.stderr!]) stream.on('data', (chunk: Buffer) => this.#output.push(chunk.toString()));
  }

  get log(): string {
    return this.#output.join('').slice(-2000);
  }

  async api(path: string): Promise<any> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/v1/${path}`);
    const body = (await response.json()) as { status: string; data: any };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data;
  }

  /** The value of an instant query with one series. */
  async value(query: string): Promise<number | undefined> {
    const data = await this.api(`query?query=${encodeURIComponent(query)}`);
    const value = data.result[0]?.value?.[1];
    return value === undefined ? undefined : Number(value);
  }

  async stop(): Promise<void> {
    if (this.#process.exitCode === null) {
      const exited = once(this.#process, 'exit');
      this.#process.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

describe('stats and metrics of a live meeting', () => {
  let server: RunningServer;
  let browser: Browser;
  let prometheus: Prometheus | undefined;
  let attendees: Attendee[] = [];
  const stats = async (): Promise<Stats> => (await fetch(`${server.opsUrl}/colibri/stats`)).json() as Promise<Stats>;

  before(async () => {
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '1' });
    browser = await launchBrowser();
    for (const name of ['Ana', 'Bea', 'Carl']) attendees.push(await joinRoom(browser, server.url, 'Stats-Room', name));
    const ids = await Promise.all(attendees.map((a) => selfId(a.page)));
    for (const [index, attendee] of attendees.entries()) {
      await waitForMediaFrom(attendee.page, ids.filter((_, other) => other !== index));
    }
  });
  after(async () => {
    await prometheus?.stop();
    await browser?.close();
    await server?.close();
  });

  it('shows three participants sending audio and video, with traffic flowing', async () => {
    const live = await until(stats, (s) => s.bit_rate_download > 0 && s.bit_rate_upload > 0 && s.endpoints_sending_video === 3, 'live rates');
    assert.equal(live.conferences, 1);
    assert.equal(live.participants, 3);
    assert.equal(live.endpoints, 3);
    assert.equal(live.largest_conference, 3);
    assert.equal(live.conference_sizes[3], 1);
    assert.equal(live.endpoints_sending_audio, 3);
    assert.equal(live.endpoints_sending_video, 3);
    assert.equal(live.receive_only_endpoints, 0);
    assert.equal(live.inactive_conferences, 0);
    assert.ok(live.packet_rate_download > 0 && live.packet_rate_upload > 0, JSON.stringify(live));
    assert.ok(live.total_ice_succeeded >= 3, `ICE succeeded for everyone (${live.total_ice_succeeded})`);
    assert.equal(live.total_ice_failed, 0);
    assert.equal(live.dtls_failed_endpoints, 0);
    assert.ok(live.rtt_aggregate >= 0);
    assert.ok(live.stress_level >= 0);
    assert.equal(live.healthy, true);

    const later = await until(stats, (s) => s.total_bytes_received > live.total_bytes_received, 'the next sample', 15_000);
    assert.ok(later.total_packets_received > live.total_packets_received);
    assert.ok(later.total_bytes_sent > live.total_bytes_sent);
  });

  it('is scraped by a real Prometheus', async () => {
    prometheus = await Prometheus.start(server.opsUrl);
    const running = prometheus;
    await until(
      () => running.api('targets'),
      (data) => data.activeTargets.length === 1 && data.activeTargets[0].health === 'up',
      `the target to be up (Prometheus log: ${running.log})`,
    );
    assert.equal(await until(() => running.value('tertulia_endpoints'), (v) => v === 3, 'tertulia_endpoints'), 3);
    assert.equal(await running.value('tertulia_conferences'), 1);
    assert.equal(await running.value('tertulia_conferences_by_size{size="3"}'), 1);
    assert.ok((await running.value('tertulia_bytes_received_total'))! > 0);
  });

  it('returns to idle after everyone leaves', async () => {
    for (const attendee of attendees) await attendee.context.close();
    attendees = [];
    const idle = await until(stats, (s) => s.conferences === 0 && s.participants === 0, 'an idle server', 15_000);
    assert.equal(idle.total_conferences_created, 1);
    assert.equal(idle.total_conferences_completed, 1);
    assert.equal(idle.total_participants, 3);
    assert.equal(idle.endpoints_sending_video, 0);
    assert.ok(idle.total_conference_seconds >= 1);
    const running = prometheus!;
    await until(() => running.value('tertulia_conferences_completed_total'), (v) => v === 1, 'Prometheus to see the room finish');
    assert.equal(await running.value('tertulia_conferences'), 0);
  });
});
