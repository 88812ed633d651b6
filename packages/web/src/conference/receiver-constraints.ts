import { Limits, type RequestData, type VideoSource } from '@tertulia/protocol';

/** Layout changes come in bursts (resizes, scrolling): one message after they settle. */
const DEBOUNCE_MS = 200;
/** Until the layout reports a tile, a video is asked for at this height (a tile in a small grid), never at the top layer. */
const DEFAULT_HEIGHT = 360;

export type Constraints = RequestData<'setReceiverConstraints'>;

/**
 * What this browser shows of everyone's video (Jitsi's receiver video constraints):
 * the drawn height of each remote video, who is on the stage, the person's quality
 * cap, audio-only and last-N. Sends one `setReceiverConstraints` when something
 * changed, debounced.
 */
export class ReceiverConstraints {
  readonly #send: (constraints: Constraints) => void;
  readonly #heights = new Map<string, { participantId: string; source: VideoSource; height: number }>();
  #onStage: string[] = [];
  #maxHeight = 720;
  #audioOnly = false;
  #lastN = -1;
  #assumedBandwidthBps: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What the server has now (JSON), so an unchanged layout sends nothing. */
  #sent: string | undefined;

  constructor(send: (constraints: Constraints) => void) {
    this.#send = send;
  }

  setVideoSize(participantId: string, source: VideoSource, height: number): void {
    this.#heights.set(`${participantId}/${source}`, { participantId, source, height: clampHeight(height) });
    this.#schedule();
  }

  setOnStage(participantIds: string[]): void {
    this.#onStage = participantIds.slice(0, Limits.maxReceiverConstraints);
    this.#schedule();
  }

  setMaxHeight(maxHeight: number): void {
    this.#maxHeight = clampHeight(maxHeight);
    this.#schedule();
  }

  setAudioOnly(audioOnly: boolean): void {
    this.#audioOnly = audioOnly;
    this.#schedule();
  }

  setLastN(lastN: number): void {
    this.#lastN = Math.max(-1, Math.min(Math.trunc(lastN), Limits.maxReceiverConstraints));
    this.#schedule();
  }

  /** The downlink the host app says we have (iframe setAssumedBandwidthBps); 0, negative or not a number: none. */
  setAssumedBandwidth(bps: number): void {
    this.#assumedBandwidthBps = Number.isFinite(bps) && bps >= 1 ? Math.min(Math.round(bps), Limits.maxAssumedBandwidthBps) : undefined;
    this.#schedule();
  }

  /** Someone left: their sizes no longer matter. */
  forget(participantId: string): void {
    for (const [key, entry] of this.#heights) {
      if (entry.participantId === participantId) this.#heights.delete(key);
    }
  }

  /** A new session (join, reconnect, another room): the server knows nothing yet, so send now. */
  sendNow(): void {
    this.#sent = undefined;
    this.#flush();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The message as it stands; heights never exceed the person's quality cap. */
  current(): Constraints {
    const cap = (height: number) => Math.min(height, this.#maxHeight);
    return {
      lastN: this.#audioOnly ? 0 : this.#lastN,
      videos: [...this.#heights.values()].slice(0, Limits.maxReceiverConstraints).map((v) => ({ ...v, height: cap(v.height) })),
      defaultHeight: cap(DEFAULT_HEIGHT),
      onStage: this.#onStage,
      ...(this.#assumedBandwidthBps === undefined ? {} : { assumedBandwidthBps: this.#assumedBandwidthBps }),
    };
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.#flush(), DEBOUNCE_MS);
  }

  #flush(): void {
    this.close();
    const constraints = this.current();
    const json = JSON.stringify(constraints);
    if (json === this.#sent) return;
    this.#sent = json;
    this.#send(constraints);
  }
}

function clampHeight(height: number): number {
  return Number.isFinite(height) ? Math.max(0, Math.min(Math.round(height), Limits.maxVideoHeight)) : 0;
}
