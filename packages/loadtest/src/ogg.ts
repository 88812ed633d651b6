import { readFileSync } from 'node:fs';

/**
 * The Opus packets of an Ogg Opus file, in order, without the two header packets
 * (OpusHead, OpusTags). Packets may span pages: a lacing value of 255 continues.
 */
export function readOggOpusPackets(path: string): Buffer[] {
  const buffer = readFileSync(path);
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  let offset = 0;
  while (offset + 27 <= buffer.length) {
    if (buffer.toString('ascii', offset, offset + 4) !== 'OggS') throw new Error(`${path} is not an Ogg file (bad page at byte ${offset})`);
    const segments = buffer[offset + 26]!;
    const lacing = buffer.subarray(offset + 27, offset + 27 + segments);
    let data = offset + 27 + segments;
    for (const size of lacing) {
      pending.push(buffer.subarray(data, data + size));
      data += size;
      if (size < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    offset = data;
  }
  const audio = packets.filter((packet) => !isHeader(packet));
  if (audio.length === 0) throw new Error(`${path} holds no Opus packets`);
  return audio;
}

function isHeader(packet: Buffer): boolean {
  const magic = packet.toString('ascii', 0, 8);
  return magic === 'OpusHead' || magic === 'OpusTags';
}
