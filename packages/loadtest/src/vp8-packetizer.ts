/** Bytes of VP8 data per RTP packet: with the 12-byte RTP header, the 4-byte descriptor and SRTP's tag, well under a 1200-byte MTU. */
export const VP8_MAX_DATA = 1100;

/**
 * Splits one VP8 frame into RTP payloads (RFC 7741): each starts with a 4-byte payload
 * descriptor carrying the 15-bit picture id (which SFUs read to switch simulcast layers
 * cleanly); S marks the first packet of the frame.
 */
export function packetizeVp8(frame: Buffer, pictureId: number): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length || offset === 0; offset += VP8_MAX_DATA) {
    const chunk = frame.subarray(offset, offset + VP8_MAX_DATA);
    const payload = Buffer.allocUnsafe(4 + chunk.length);
    payload[0] = offset === 0 ? 0x90 : 0x80; // X=1 (extensions follow), S=1 on the first packet, partition 0
    payload[1] = 0x80; // I=1: a picture id follows
    payload.writeUInt16BE(0x8000 | (pictureId & 0x7fff), 2); // M=1: the 15-bit form
    chunk.copy(payload, 4);
    payloads.push(payload);
    if (frame.length === 0) break;
  }
  return payloads;
}
