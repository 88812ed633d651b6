import { readFileSync } from 'node:fs';

/** One compressed video frame from an IVF file. */
export interface IvfFrame {
  data: Buffer;
  /** Presentation time in the file's time base units. */
  pts: number;
  /** A VP8 key frame (bit 0 of the first payload byte is 0). */
  keyframe: boolean;
}

export interface IvfFile {
  width: number;
  height: number;
  /** Seconds per `pts` unit is timebaseNumerator / timebaseDenominator. */
  timebaseNumerator: number;
  timebaseDenominator: number;
  frames: IvfFrame[];
}

const FILE_HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 12;

/** Reads a whole IVF file (the small container ffmpeg writes VP8 into): a 32-byte header, then size + pts + frame. */
export function readIvf(path: string): IvfFile {
  const buffer = readFileSync(path);
  if (buffer.length < FILE_HEADER_SIZE || buffer.toString('ascii', 0, 4) !== 'DKIF') throw new Error(`${path} is not an IVF file`);
  const headerSize = buffer.readUInt16LE(6);
  const file: IvfFile = {
    width: buffer.readUInt16LE(12),
    height: buffer.readUInt16LE(14),
    timebaseDenominator: buffer.readUInt32LE(16),
    timebaseNumerator: buffer.readUInt32LE(20),
    frames: [],
  };
  let offset = headerSize;
  while (offset + FRAME_HEADER_SIZE <= buffer.length) {
    const size = buffer.readUInt32LE(offset);
    const pts = Number(buffer.readBigUInt64LE(offset + 4));
    const start = offset + FRAME_HEADER_SIZE;
    if (start + size > buffer.length) throw new Error(`${path} is truncated (frame at byte ${offset})`);
    const data = buffer.subarray(start, start + size);
    file.frames.push({ data, pts, keyframe: size > 0 && (data[0]! & 0x01) === 0 });
    offset = start + size;
  }
  if (file.frames.length === 0) throw new Error(`${path} holds no frames`);
  return file;
}
