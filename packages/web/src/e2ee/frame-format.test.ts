import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearByteCount, decryptFrame, encryptFrame, frameKeyIndex, TRAILER_BYTES, type FrameInfo } from './frame-format.js';
import { frameKey, randomMaterial } from './key-material.js';

const VP8_KEY: FrameInfo = { kind: 'video', keyFrame: true };
const VP8_DELTA: FrameInfo = { kind: 'video', keyFrame: false };
const OPUS: FrameInfo = { kind: 'audio', keyFrame: false };

function frame(length: number): ArrayBuffer {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff).buffer;
}

describe('E2EE frame format', () => {
  it('round-trips audio, keyframes and delta frames, adding only the tag and the trailer', async () => {
    const key = await frameKey(randomMaterial());
    for (const info of [VP8_KEY, VP8_DELTA, OPUS]) {
      const plain = frame(200);
      const sealed = await encryptFrame(plain, info, key, 5);
      assert.equal(sealed.byteLength, 200 + 16 + TRAILER_BYTES);
      assert.equal(frameKeyIndex(sealed), 5);
      assert.deepEqual(new Uint8Array(await decryptFrame(sealed, info, key)), new Uint8Array(plain));
    }
  });

  it('keeps 10 bytes of a VP8 keyframe, 3 of a delta frame and the Opus TOC byte clear, and nothing more', async () => {
    const key = await frameKey(randomMaterial());
    for (const [info, clear] of [[VP8_KEY, 10], [VP8_DELTA, 3], [OPUS, 1]] as const) {
      const plain = new Uint8Array(frame(100));
      const sealed = new Uint8Array(await encryptFrame(plain.buffer, info, key, 0));
      assert.deepEqual(sealed.subarray(0, clear), plain.subarray(0, clear), `${clear} clear bytes`);
      const rest = sealed.subarray(clear, 100);
      const same = rest.filter((byte, i) => byte === plain[clear + i]).length;
      assert.ok(same < rest.length / 8, `the rest is ciphertext (${same} of ${rest.length} bytes equal)`);
    }
  });

  it('handles frames shorter than their clear part (a 1-byte DTX packet, a tiny video frame)', async () => {
    const key = await frameKey(randomMaterial());
    assert.equal(clearByteCount(VP8_KEY, 4), 4);
    for (const [info, length] of [[OPUS, 1], [VP8_KEY, 4], [VP8_DELTA, 0]] as const) {
      const plain = frame(length);
      const sealed = await encryptFrame(plain, info, key, 1);
      assert.deepEqual(new Uint8Array(await decryptFrame(sealed, info, key)), new Uint8Array(plain));
    }
  });

  it('rejects a frame whose clear bytes, ciphertext, IV or key index were changed', async () => {
    const key = await frameKey(randomMaterial());
    const sealed = new Uint8Array(await encryptFrame(frame(120), VP8_KEY, key, 2));
    for (const at of [0, 9, 10, 60, sealed.length - 5, sealed.length - 1]) {
      const tampered = sealed.slice();
      tampered[at]! ^= 0x01;
      await assert.rejects(decryptFrame(tampered.buffer, VP8_KEY, key), `byte ${at} changed`);
    }
    await assert.rejects(decryptFrame(sealed.slice(0, 20).buffer, VP8_KEY, key), 'a truncated frame');
  });

  it('rejects a frame under another key', async () => {
    const sealed = await encryptFrame(frame(80), OPUS, await frameKey(randomMaterial()), 0);
    await assert.rejects(decryptFrame(sealed, OPUS, await frameKey(randomMaterial())));
  });
});
