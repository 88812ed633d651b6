import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAdapter, prepareMediaFiles, type MediaFiles, type SyntheticSession } from '@tertulia/loadtest';
import { startJanus, type JanusServer } from '../support/janus-server.js';

let janus: JanusServer;
let media: MediaFiles;

/** The load tool's Janus side, which bench:capacity compares Tertulia with: a short check that it works. */
before(async () => {
  [janus, media] = await Promise.all([startJanus({ port: 18188, rtpPorts: { min: 41000, max: 41999 } }), prepareMediaFiles()]);
});

after(async () => {
  await janus?.stop();
});

test('three synthetic participants in one Janus VideoRoom all receive each other', { timeout: 40_000 }, async () => {
  const adapter = createAdapter('janus');
  const names = ['ana', 'bo', 'cy'];
  const sessions: SyntheticSession[] = [];
  try {
    for (const name of names) {
      sessions.push(await adapter.join({ url: janus.wsUrl, room: 'janus-test', name, publish: true, layer: 'low', media }));
    }
    await new Promise((resolve) => setTimeout(resolve, 6000));
    for (const session of sessions) {
      const stats = session.stats();
      for (const publisher of names.filter((name) => name !== session.name)) {
        for (const kind of ['audio', 'video'] as const) {
          const stream = stats.find((s) => s.publisher === publisher && s.kind === kind);
          assert.ok(stream && stream.packets > 0, `${session.name} received no ${kind} from ${publisher}: ${JSON.stringify(stats)}`);
          assert.ok(stream.lost / (stream.packets + stream.lost) < 0.05, `${session.name} lost too much ${kind} from ${publisher}: ${JSON.stringify(stream)}`);
        }
      }
    }
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
});
