import { z } from 'zod';
import type { LoadOptions } from './types.js';

/** Bounds that keep a run meaningful on one machine; the messages say what to change. */
export const LoadOptionsSchema = z.strictObject({
  sfu: z.enum(['tertulia', 'janus'], { error: 'sfu must be "tertulia" or "janus"' }),
  url: z.url({ protocol: /^(https?|wss?)$/, error: 'url must be the SFU\'s address, e.g. http://127.0.0.1:8080 (Tertulia) or ws://127.0.0.1:8188 (Janus)' }),
  rooms: z.int({ error: 'rooms must be a whole number' }).min(1, 'rooms must be at least 1').max(100, 'rooms must be at most 100'),
  participantsPerRoom: z.int({ error: 'participants must be a whole number' }).min(1, 'participants must be at least 1').max(200, 'participants must be at most 200 per room'),
  publishersPerRoom: z.int({ error: 'publishers must be a whole number' }).min(0, 'publishers cannot be negative'),
  durationSeconds: z.number({ error: 'duration must be a number of seconds' }).positive('duration must be more than 0 seconds').max(3600, 'duration must be at most 3600 seconds (the run always stops by itself)'),
  rampPerSecond: z.number({ error: 'ramp must be a number of joins per second' }).positive('ramp must be more than 0 joins per second').max(100, 'ramp must be at most 100 joins per second'),
  layer: z.enum(['low', 'mid', 'high'], { error: 'layer must be low, mid or high' }),
  workers: z.int({ error: 'workers must be a whole number' }).min(1, 'workers must be at least 1').max(64, 'workers must be at most 64'),
  roomPrefix: z.string().regex(/^[a-z0-9-]{1,40}$/, 'roomPrefix must be 1–40 lowercase letters, digits or hyphens'),
}).refine((o) => o.publishersPerRoom <= o.participantsPerRoom, {
  message: 'publishers must not exceed participants per room',
  path: ['publishersPerRoom'],
});

/** Options that cannot run; `message` lists every problem, one per line. */
export class LoadOptionsError extends Error {
  override readonly name = 'LoadOptionsError';
}

/** The options, checked; throws LoadOptionsError naming each bad option. */
export function parseLoadOptions(input: unknown): LoadOptions {
  const parsed = LoadOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new LoadOptionsError(parsed.error.issues.map((issue) => issue.message).join('\n'));
}
