import type { StreamStats } from './types.js';

/** What a subscriber knows about an SSRC it was told about (a consumer's or a subscription's stream). */
export interface ExpectedStream {
  publisher: string;
  kind: 'audio' | 'video';
  clockRate: number;
}

interface Counting extends ExpectedStream {
  packets: number;
  bytes: number;
  /** First extended sequence number seen, and the highest so far (extended: counts wraps). */
  baseSeq: number;
  highestSeq: number;
  /** RFC 3550 interarrival jitter, in RTP timestamp units. */
  jitter: number;
  /** Previous packet's relative transit time (arrival in clock units minus RTP timestamp). */
  transit: number | undefined;
}

/**
 * Counts received RTP per stream from the packet header alone (SRTP leaves the header in
 * clear, so counting needs no decryption): packets, bytes, loss as sequence numbers never
 * received (a retransmission filling a gap makes it received), and RFC 3550 jitter.
 */
export class StreamCounter {
  readonly #streams = new Map<number, Counting>();

  /** Starts counting `ssrc`; packets of SSRCs not expected (probing, retransmissions) are ignored. */
  expect(ssrc: number, stream: ExpectedStream): void {
    if (!this.#streams.has(ssrc)) {
      this.#streams.set(ssrc, { ...stream, packets: 0, bytes: 0, baseSeq: -1, highestSeq: -1, jitter: 0, transit: undefined });
    }
  }

  /** Takes one received packet (RTP or SRTP, as on the wire; RTCP is skipped). */
  add(packet: Buffer, arrivalMs = performance.now()): void {
    if (packet.length < 12 || packet[0]! >> 6 !== 2) return;
    const payloadType = packet[1]! & 0x7f;
    if (payloadType >= 64 && payloadType <= 95) return; // RTCP (packet types 192–223 share this byte)
    const stream = this.#streams.get(packet.readUInt32BE(8));
    if (!stream) return;
    stream.packets++;
    stream.bytes += packet.length;
    this.#sequence(stream, packet.readUInt16BE(2));
    const transit = (arrivalMs * stream.clockRate) / 1000 - packet.readUInt32BE(4);
    if (stream.transit !== undefined) {
      let d = Math.abs(transit - stream.transit);
      // A 32-bit timestamp wrap looks like a huge jump: fold it back.
      if (d > 0x80000000) d = Math.abs(d - 0x100000000);
      stream.jitter += (d - stream.jitter) / 16;
    }
    stream.transit = transit;
  }

  #sequence(stream: Counting, seq: number): void {
    if (stream.highestSeq < 0) {
      stream.baseSeq = stream.highestSeq = seq;
      return;
    }
    // Place the 16-bit number next to the highest extended one seen (forward or a little back).
    const cycle = stream.highestSeq - (stream.highestSeq & 0xffff);
    let extended = cycle + seq;
    if (extended - stream.highestSeq > 0x8000) extended -= 0x10000;
    else if (stream.highestSeq - extended > 0x8000) extended += 0x10000;
    if (extended > stream.highestSeq) stream.highestSeq = extended;
    if (extended < stream.baseSeq) stream.baseSeq = extended;
  }

  stats(): StreamStats[] {
    return [...this.#streams.values()].map((s) => ({
      publisher: s.publisher,
      kind: s.kind,
      packets: s.packets,
      // Duplicates can make the count exceed the range; loss is never negative.
      lost: s.packets === 0 ? 0 : Math.max(0, s.highestSeq - s.baseSeq + 1 - s.packets),
      bytes: s.bytes,
      jitterMs: (s.jitter / s.clockRate) * 1000,
    }));
  }
}
