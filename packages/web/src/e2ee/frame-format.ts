/**
 * How one encoded media frame is encrypted end to end (SFrame-style, as Jitsi does):
 *
 *   [clear bytes][AES-GCM ciphertext + 16-byte tag][IV, 12 bytes][key index, 1 byte]
 *
 * The leading bytes stay clear so the media server can still route: it reads the VP8
 * payload header (keyframe bit, for layer switches and keyframe detection) and the Opus
 * TOC byte. They, and the key index, are authenticated as additional data, so a server
 * that changes them makes the frame fail to decrypt.
 *
 * H.264 is not handled: its NAL unit headers (and emulation prevention) would need a
 * NAL-aware format, so an E2EE meeting sends and receives VP8 only.
 */

export type MediaKind = 'audio' | 'video';

/** What the format needs to know of a frame besides its bytes. */
export interface FrameInfo {
  kind: MediaKind;
  /** A video keyframe (its VP8 header is longer). Ignored for audio. */
  keyFrame: boolean;
}

export const IV_BYTES = 12;
export const TRAILER_BYTES = IV_BYTES + 1;
const TAG_BITS = 128;
/** VP8 keyframe: 3-byte frame tag, 3-byte start code, 4 bytes of dimensions. */
const VP8_KEYFRAME_CLEAR = 10;
/** VP8 delta frame: the 3-byte frame tag. */
const VP8_DELTA_CLEAR = 3;
/** Opus: the TOC byte. */
const OPUS_CLEAR = 1;

/** How many leading bytes of a frame of `length` bytes stay clear. */
export function clearByteCount(info: FrameInfo, length: number): number {
  const wanted = info.kind === 'audio' ? OPUS_CLEAR : info.keyFrame ? VP8_KEYFRAME_CLEAR : VP8_DELTA_CLEAR;
  return Math.min(wanted, length);
}

/** Encrypts `frame` with `key` (the one at `keyIndex` of the sender's ring). */
export async function encryptFrame(frame: ArrayBuffer, info: FrameInfo, key: CryptoKey, keyIndex: number): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(frame);
  const clear = clearByteCount(info, bytes.length);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(bytes.subarray(0, clear), keyIndex), tagLength: TAG_BITS },
      key,
      bytes.subarray(clear),
    ),
  );
  const out = new Uint8Array(clear + sealed.length + TRAILER_BYTES);
  out.set(bytes.subarray(0, clear), 0);
  out.set(sealed, clear);
  out.set(iv, clear + sealed.length);
  out[out.length - 1] = keyIndex;
  return out.buffer;
}

/** The key index an encrypted frame names, or undefined for something too short to be one. */
export function frameKeyIndex(frame: ArrayBuffer): number | undefined {
  const bytes = new Uint8Array(frame);
  return bytes.length < TRAILER_BYTES + TAG_BITS / 8 ? undefined : bytes[bytes.length - 1];
}

/** Decrypts a frame made by `encryptFrame`; rejects (OperationError) when the key is wrong or anything was changed. */
export async function decryptFrame(frame: ArrayBuffer, info: FrameInfo, key: CryptoKey): Promise<ArrayBuffer> {
  const keyIndex = frameKeyIndex(frame);
  if (keyIndex === undefined) throw new RangeError('Not an encrypted frame: too short');
  const bytes = new Uint8Array(frame);
  const body = bytes.subarray(0, bytes.length - TRAILER_BYTES);
  const clear = clearByteCount(info, body.length - TAG_BITS / 8);
  const iv = bytes.subarray(body.length, body.length + IV_BYTES);
  const plain = new Uint8Array(
    await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(body.subarray(0, clear), keyIndex), tagLength: TAG_BITS },
      key,
      body.subarray(clear),
    ),
  );
  const out = new Uint8Array(clear + plain.length);
  out.set(body.subarray(0, clear), 0);
  out.set(plain, clear);
  return out.buffer;
}

function additionalData(clear: Uint8Array<ArrayBuffer>, keyIndex: number): Uint8Array<ArrayBuffer> {
  const aad = new Uint8Array(clear.length + 1);
  aad.set(clear, 0);
  aad[clear.length] = keyIndex;
  return aad;
}
