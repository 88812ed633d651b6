import type { MediaKind } from './frame-format.js';

/** What one sender's or receiver's transform does (RTCRtpScriptTransform options, or sent with its streams). */
export interface TransformOptions {
  operation: 'encrypt' | 'decrypt';
  kind: MediaKind;
  /** Whose frames a receiver decrypts. */
  participantId?: string;
}

/** From the page to the crypto worker. */
export type ToWorker =
  /** A key for `owner`'s ring (OWN_KEYS: ours); `use`: the owner sends under it from now on. */
  | { type: 'setKey'; owner: string; index: number; material: Uint8Array<ArrayBuffer>; use: boolean }
  | { type: 'setShared'; shared: boolean }
  | { type: 'forget'; owner: string }
  /** Chromium's encoded insertable streams of one sender or receiver, transferred. */
  | { type: 'streams'; readable: ReadableStream; writable: WritableStream; options: TransformOptions };

/** From the crypto worker to the page: frames decrypted and frames that could not be, so far, per sender. */
export type FromWorker = { type: 'report'; decrypted: Record<string, number>; failures: Record<string, number> };
