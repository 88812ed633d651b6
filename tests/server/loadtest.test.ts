import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoadOptionsError, runLoad, type LoadOptions } from '@tertulia/loadtest';
import type { RunningServer } from '@tertulia/server';
import { runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';

/** A published stream may lose at most this share at a subscriber (loopback, a lightly loaded SFU). */
const MAX_LOSS = 0.05;

describe('tertulia loadtest', () => {
  let server: RunningServer;

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server.close();
  });

  it('four synthetic participants each receive every other one\'s audio and video over real ICE + DTLS-SRTP, with little loss', async () => {
    const options: LoadOptions = {
      sfu: 'tertulia',
      url: server.url,
      rooms: 1,
      participantsPerRoom: 4,
      publishersPerRoom: 4,
      durationSeconds: 8,
      rampPerSecond: 10,
      layer: 'high',
      workers: 2,
      roomPrefix: `smoke-${process.pid}`,
    };
    const progress: string[] = [];
    const result = await runLoad(options, (line) => progress.push(line));

    assert.deepEqual(result.failures, []);
    assert.equal(result.participants, 4);
    assert.equal(result.streamsExpected, 4 * 3 * 2);
    const names = [1, 2, 3, 4].map((i) => `${options.roomPrefix}-1-p${i}`);
    for (const subscriber of names) {
      for (const publisher of names.filter((name) => name !== subscriber)) {
        for (const kind of ['audio', 'video'] as const) {
          const stream = result.streams.find((s) => s.subscriber === subscriber && s.publisher === publisher && s.kind === kind);
          const label = `${subscriber} ← ${publisher} ${kind}`;
          assert.ok(stream && stream.packets > 0, `${label}: no packets`);
          const loss = stream.lost / (stream.packets + stream.lost);
          assert.ok(loss < MAX_LOSS, `${label}: ${(loss * 100).toFixed(1)} % lost`);
        }
      }
    }
    // Audio alone is 50 packets a second per stream: 12 audio streams over 8 s.
    assert.ok(result.packets > 12 * 50 * 8 * 0.9, `only ${result.packets} packets`);
    assert.ok(progress.length >= 3, 'a progress line every two seconds');
  });

  it('refuses bad options with a message naming each, exit status 2, and starts nothing', async () => {
    const cli = await runCli(['loadtest', '--url', server.url, '--rooms', '0', '--participants', '3', '--publishers', '5', '--layer', 'huge'], {
      cwd: mkdtempSync(join(tmpdir(), 'tertulia-loadtest-')),
    });
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, /rooms must be at least 1/);
    assert.match(cli.stderr, /layer must be low, mid or high/);
    assert.match(cli.stderr, /Usage:/);
    assert.equal(cli.stdout, '');

    const valid: LoadOptions = { sfu: 'tertulia', url: server.url, rooms: 1, participantsPerRoom: 2, publishersPerRoom: 2, durationSeconds: 5, rampPerSecond: 5, layer: 'high', workers: 1, roomPrefix: 'refused' };
    await assert.rejects(runLoad({ ...valid, durationSeconds: 0 }), (error: unknown) => error instanceof LoadOptionsError && /duration must be more than 0/.test(error.message));
    await assert.rejects(runLoad({ ...valid, publishersPerRoom: 3 }), (error: unknown) => error instanceof LoadOptionsError && /publishers must not exceed participants/.test(error.message));
    assert.deepEqual(server.registry.rooms().filter((room) => room.name.startsWith('refused')), []);
  });
});
