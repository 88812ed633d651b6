import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Participant } from '../rooms/participant.js';
import type { LeaveReason, Room } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { RecordingEndReason, RecordingService } from '../recording/recording-service.js';
import type { RecordingSession } from '../recording/room-recording.js';
import type { RecordingMode } from '@tertulia/protocol';

export type WebhookEvent = 'room_started' | 'room_finished' | 'participant_joined' | 'participant_left' | 'recording_started' | 'recording_ended';

export interface WebhookBody {
  /** Unique per event; the same on every retry, so receivers can drop duplicates. */
  id: string;
  event: WebhookEvent;
  /** When the event happened, ms since the epoch. */
  timestamp: number;
  room: { name: string; key: string; startedAt: number };
  participant?: { id: string; displayName: string; role: string; joinedAt: number };
  /** For participant_left: left, disconnected, kicked, ended or closed; for recording_ended: stopped, meetingEnded or failed. */
  reason?: LeaveReason | RecordingEndReason;
  /** For recording_started/_ended: which recording, and (file mode) its folder and, once ended, the files in it. */
  recording?: { sessionId: string; mode: RecordingMode; folder: string | null; files?: string[] };
}

export const SIGNATURE_HEADER = 'x-tertulia-signature';
export const TIMESTAMP_HEADER = 'x-tertulia-timestamp';

/** Attempts per event and URL; delays between them double from RETRY_BASE_MS (±50 % jitter): ~0.5, 1, 2, 4 s. */
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 500;
const REQUEST_TIMEOUT_MS = 5000;
/** Events waiting per URL; beyond this the oldest are dropped, so a dead receiver cannot grow memory. */
const MAX_QUEUE = 1000;
/** How long shutdown waits for queued events (room_finished among them) before giving up on them. */
const CLOSE_GRACE_MS = 3000;

export interface WebhookOptions {
  urls: readonly string[];
  secret: string;
  logger: Logger;
}

/**
 * POSTs room and participant events to the configured URLs. Each URL has its own
 * queue, delivered in order one at a time, with retries; events are queued
 * synchronously and sent later, so signalling never waits for a receiver.
 *
 * Each request is signed: `X-Tertulia-Timestamp: <unix seconds>` and
 * `X-Tertulia-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with WEBHOOK_SECRET>`.
 * The timestamp is fresh on every attempt, so receivers can refuse old (replayed) requests.
 */
export class WebhookDispatcher {
  readonly #secret: string;
  readonly #logger: Logger;
  readonly #queues: UrlQueue[];
  readonly #stop = new AbortController();

  constructor({ urls, secret, logger }: WebhookOptions) {
    this.#secret = secret;
    this.#logger = logger;
    this.#queues = urls.map((url) => ({ url, pending: [], running: undefined }));
  }

  /** Subscribes to the registry's lifecycle events. */
  listen(registry: RoomRegistry): void {
    registry.on('roomStarted', (room) => this.#send('room_started', room));
    registry.on('roomFinished', (room) => this.#send('room_finished', room));
    registry.on('participantJoined', (room, participant) => this.#send('participant_joined', room, participant));
    registry.on('participantLeft', (room, participant, reason) => this.#send('participant_left', room, participant, reason));
  }

  /** Subscribes to recordings starting and ending. */
  listenRecordings(recordings: RecordingService): void {
    const about = (session: RecordingSession) => ({ sessionId: session.sessionId, mode: session.mode, folder: session.folder ?? null });
    recordings.on('recordingStarted', (room, session) => this.#send('recording_started', room, undefined, undefined, about(session)));
    recordings.on('recordingEnded', (room, session, reason, files) =>
      this.#send('recording_ended', room, undefined, reason, { ...about(session), files }),
    );
  }

  /** Waits up to CLOSE_GRACE_MS for queued events, then abandons the rest. */
  async close(): Promise<void> {
    const drained = Promise.all(this.#queues.map((queue) => queue.running));
    await Promise.race([drained, sleep(CLOSE_GRACE_MS, undefined, { ref: false })]);
    const dropped = this.#queues.reduce((n, queue) => n + queue.pending.length + (queue.running ? 1 : 0), 0);
    if (dropped > 0) this.#logger.warn({ dropped }, 'shutting down with webhooks undelivered');
    this.#stop.abort();
    await drained;
  }

  #send(event: WebhookEvent, room: Room, participant?: Participant, reason?: WebhookBody['reason'], recording?: WebhookBody['recording']): void {
    if (this.#stop.signal.aborted) return;
    const body: WebhookBody = {
      id: randomUUID(),
      event,
      timestamp: Date.now(),
      room: { name: room.name, key: room.key, startedAt: room.startedAt },
      ...(participant && {
        participant: { id: participant.id, displayName: participant.displayName, role: participant.role, joinedAt: participant.joinedAt },
      }),
      ...(reason && { reason }),
      ...(recording && { recording }),
    };
    const delivery: Delivery = { id: body.id, event, payload: JSON.stringify(body) };
    for (const queue of this.#queues) {
      queue.pending.push(delivery);
      if (queue.pending.length > MAX_QUEUE) {
        const dropped = queue.pending.shift()!;
        this.#logger.warn({ url: queue.url, event: dropped.event, id: dropped.id }, 'webhook queue full; dropped the oldest event');
      }
      this.#run(queue);
    }
  }

  #run(queue: UrlQueue): void {
    if (queue.running) return;
    queue.running = this.#drain(queue).finally(() => {
      queue.running = undefined;
      // An event queued while the drain was finishing must not wait for the next one.
      if (queue.pending.length > 0 && !this.#stop.signal.aborted) this.#run(queue);
    });
  }

  async #drain(queue: UrlQueue): Promise<void> {
    for (let delivery = queue.pending.shift(); delivery; delivery = queue.pending.shift()) {
      await this.#deliver(queue.url, delivery);
      if (this.#stop.signal.aborted) return;
    }
  }

  async #deliver(url: string, delivery: Delivery): Promise<void> {
    let problem = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: this.#headers(delivery),
          body: delivery.payload,
          signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
          redirect: 'error',
        });
        await response.body?.cancel();
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        problem = error instanceof Error ? error.message : String(error);
      }
      if (attempt === MAX_ATTEMPTS) break;
      const delay = RETRY_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
      this.#logger.debug({ url, event: delivery.event, attempt, problem, delay }, 'webhook failed; retrying');
      try {
        await sleep(delay, undefined, { signal: this.#stop.signal });
      } catch {
        return;
      }
    }
    this.#logger.warn({ url, event: delivery.event, id: delivery.id, attempts: MAX_ATTEMPTS, problem }, 'webhook not delivered; gave up');
  }

  #headers(delivery: Delivery): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.#secret).update(`${timestamp}.${delivery.payload}`).digest('hex');
    return {
      'content-type': 'application/json',
      'x-tertulia-event': delivery.event,
      'x-tertulia-delivery': delivery.id,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: `sha256=${signature}`,
    };
  }
}

interface Delivery {
  id: string;
  event: WebhookEvent;
  payload: string;
}

interface UrlQueue {
  url: string;
  pending: Delivery[];
  running: Promise<void> | undefined;
}
