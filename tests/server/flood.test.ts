import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { RawClient } from '../support/ws-client.js';

const MAX_ROOMS = 100;
/** The defaults a flood meets (README "Limits"). */
const JOINS_PER_MINUTE = 600;
const NEW_ROOMS_PER_MINUTE = 60;
/** Connection attempts in flight at once, as a script hammering the server would keep. */
const IN_FLIGHT = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface Flood {
  outcomes: Map<string, number>;
  peakRooms: number;
  peakRss: number;
  seconds: number;
}

describe('a flood of connections and joins', () => {
  let server: RunningServer;
  let rssBefore = 0;
  let heapBefore = 0;

  before(async () => {
    server = await startTestServer({ MAX_ROOMS: String(MAX_ROOMS), RECONNECT_GRACE_SECONDS: '0' });
    gc();
    ({ rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage());
  });
  after(() => server.close());

  /** Connects from each address `perAddress` times, joining `roomFor(address, i)` on each connection; holds what it got until the end. */
  async function flood(addresses: string[], perAddress: number, roomFor: (address: string, i: number) => string): Promise<Flood> {
    const outcomes = new Map<string, number>();
    const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    const held: RawClient[] = [];
    let peakRooms = 0;
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRooms = Math.max(peakRooms, server.registry.rooms().length);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const attempts = addresses.flatMap((address) => Array.from({ length: perAddress }, (_, i) => ({ address, room: roomFor(address, i) })));
    const started = Date.now();
    const worker = async () => {
      for (let next = attempts.shift(); next; next = attempts.shift()) {
        const client = await RawClient.connect(server.url, next.address);
        held.push(client);
        const answer = await Promise.race([client.request('join', { room: next.room, displayName: 'Flood' }), client.closed]);
        if ('reason' in answer) count(`refused at connect: ${answer.reason}`);
        else count(answer.ok ? answer.data.status : answer.error!.code);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peakRooms = Math.max(peakRooms, server.registry.rooms().length);
    for (const client of held) client.close();
    await Promise.all(held.map((client) => client.closed));
    await until(() => server.registry.rooms().length, (rooms) => rooms === 0, 'every flooded room to close');
    return { outcomes, peakRooms, peakRss, seconds };
  }

  function report(title: string, { outcomes, peakRooms, peakRss, seconds }: Flood): void {
    const rss = megabytes(process.memoryUsage().rss);
    console.log(`${title} in ${seconds.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(outcomes))}; rooms at most ${peakRooms}; RSS ${megabytes(rssBefore)} MB before, ${megabytes(peakRss)} MB at most, ${rss} MB after`);
  }

  it('from one address: joins and new rooms stop at that address’s allowance', async () => {
    const result = await flood(['127.0.0.50'], 3000, (_, i) => `flood-${i % 500}`);
    report('3000 connections from one address into 500 rooms', result);
    const { outcomes, peakRooms, seconds } = result;
    assert.ok((outcomes.get('refused at connect: RATE_LIMITED') ?? 0) > 0, 'connections past the allowance are refused');
    assert.ok((outcomes.get('RATE_LIMITED') ?? 0) > 0, 'joins past the allowance are refused');
    assert.ok((outcomes.get('joined') ?? 0) <= JOINS_PER_MINUTE + Math.ceil((JOINS_PER_MINUTE / 60) * seconds));
    assert.ok(peakRooms <= NEW_ROOMS_PER_MINUTE + Math.ceil((NEW_ROOMS_PER_MINUTE / 60) * seconds), `${peakRooms} rooms opened`);
  });

  it('from many addresses: the server stops at MAX_ROOMS, and memory comes back', async () => {
    const addresses = Array.from({ length: 10 }, (_, i) => `127.0.0.${60 + i}`);
    const result = await flood(addresses, 200, (address, i) => `flood-${address.replaceAll('.', '-')}-${i}`);
    report('2000 connections from 10 addresses, each into a new room', result);
    assert.ok((result.outcomes.get('SERVER_BUSY') ?? 0) > 0, 'new meetings past MAX_ROOMS are refused');
    assert.ok(result.peakRooms <= MAX_ROOMS, `${result.peakRooms} rooms at most`);

    // The joins sent on refused sockets wait 5 s for an answer, holding their clients until then.
    await sleep(6000);
    gc();
    const { rss, heapUsed } = process.memoryUsage();
    console.log(`after both floods and a GC: RSS ${megabytes(rss)} MB (${megabytes(rssBefore)} before), JS heap ${megabytes(heapUsed)} MB (${megabytes(heapBefore)} before)`);
    // Generous: the flooding clients live in this process too, and the allocator keeps pages it grew into.
    assert.ok(megabytes(rss - rssBefore) < 200, 'RSS stays bounded');
    assert.ok(megabytes(heapUsed - heapBefore) < 15, 'what the floods allocated is freed: nothing holds closed connections or rooms');
  });
});
