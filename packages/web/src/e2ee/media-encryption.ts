import { Emitter } from '../conference/emitter.js';
import type { MediaKind } from './frame-format.js';
import type { FromWorker, ToWorker, TransformOptions } from './worker-messages.js';

export type MediaEncryptionEvents = {
  /** Per sender, frames decrypted so far and frames that could not be (a missing or wrong key); once a second. */
  report: [decrypted: Record<string, number>, failures: Record<string, number>];
};

/** Chromium's encoded insertable streams, for a browser without RTCRtpScriptTransform. */
type WithEncodedStreams = { createEncodedStreams(): { readable: ReadableStream; writable: WritableStream } };

/** Whether this browser can encrypt media end to end. */
export function canEncryptMedia(): boolean {
  return 'RTCRtpScriptTransform' in globalThis || 'createEncodedStreams' in RTCRtpSender.prototype;
}

/**
 * Peer connections must be created with `encodedInsertableStreams: true` in a Chromium that has
 * only insertable streams; with RTCRtpScriptTransform they must not.
 */
export function needsEncodedInsertableStreams(): boolean {
  return !('RTCRtpScriptTransform' in globalThis) && 'createEncodedStreams' in RTCRtpSender.prototype;
}

/**
 * End-to-end encryption of this browser's media: the crypto worker, the transform on each
 * sender and receiver, and the keys it uses. Keys and their exchange are the caller's.
 */
export class MediaEncryption extends Emitter<MediaEncryptionEvents> {
  readonly #worker: Worker;

  constructor() {
    super();
    this.#worker = new Worker(new URL('./e2ee-worker.ts', import.meta.url), { type: 'module', name: 'tertulia-e2ee' });
    this.#worker.onmessage = ({ data }: MessageEvent<FromWorker>) => this.emit('report', data.decrypted, data.failures);
  }

  /** Everything `sender` sends is encrypted with our key (and dropped while we have none). */
  encrypt(sender: RTCRtpSender, kind: MediaKind): void {
    this.#attach(sender, { operation: 'encrypt', kind });
  }

  /** What `receiver` gets from `participantId` is decrypted with their key (or ours, when shared). */
  decrypt(receiver: RTCRtpReceiver, kind: MediaKind, participantId: string): void {
    this.#attach(receiver, { operation: 'decrypt', kind, participantId });
  }

  /** A key for `owner`'s ring (OWN_KEYS: ours); `use`: the owner sends under it from now on. */
  setKey(owner: string, index: number, material: Uint8Array<ArrayBuffer>, use = true): void {
    this.#post({ type: 'setKey', owner, index, material, use });
  }

  /** One key for everyone (an integrator's, or a passphrase's) instead of a key per participant. */
  setShared(shared: boolean): void {
    this.#post({ type: 'setShared', shared });
  }

  forget(owner: string): void {
    this.#post({ type: 'forget', owner });
  }

  close(): void {
    this.#worker.terminate();
  }

  #attach(target: RTCRtpSender | RTCRtpReceiver, options: TransformOptions): void {
    if ('RTCRtpScriptTransform' in globalThis) {
      target.transform = new RTCRtpScriptTransform(this.#worker, options);
      return;
    }
    const { readable, writable } = (target as unknown as WithEncodedStreams).createEncodedStreams();
    this.#worker.postMessage({ type: 'streams', readable, writable, options } satisfies ToWorker, [readable, writable] as unknown as Transferable[]);
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }
}
