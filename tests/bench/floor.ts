/**
 * The floor (tests/bench/floor/floor.c): the least CPU a forwarded packet can cost on
 * this machine, one SRTP encryption of a 1,100-byte packet plus one UDP sendto on
 * loopback. Compiled with gcc against Debian's libsrtp2 once per source version.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = join(import.meta.dirname, 'floor', 'floor.c');
const CACHE = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'tertulia-bench');

/**
 * The cipher the synthetic participants end up with against both SFUs: werift offers
 * AEAD_AES_128_GCM then AES_CM_128_HMAC_SHA1_80; mediasoup and Janus both prefer GCM.
 * (A browser against mediasoup gets AEAD_AES_256_GCM, which werift does not offer.)
 */
export const NEGOTIATED_CIPHER = 'AEAD_AES_128_GCM';
export const FLOOR_CIPHERS = ['AEAD_AES_128_GCM', 'AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_80'] as const;

export interface FloorFigures {
  cipher: string;
  /** Sending thread's CPU nanoseconds per packet. */
  protectNs: number;
  sendtoNs: number;
  /** Both, one after the other, as an SFU does per forwarded packet. */
  totalNs: number;
  /** Packets per second one core could protect and send: 1e9 / totalNs. */
  ppsPerCore: number;
}

async function compiled(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const binary = join(CACHE, `floor-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  try {
    await run('gcc', ['-O2', '-Wall', '-o', binary, SOURCE, '-lsrtp2', '-lpthread']);
  } catch (error) {
    throw new Error(`compiling the floor failed (needs Debian's gcc and libsrtp2-dev: apt-get install gcc libsrtp2-dev): ${(error as Error).message}`);
  }
  return binary;
}

/** Runs the floor for each cipher, `seconds` of CPU per measurement (three per cipher). */
export async function measureFloor(seconds: number): Promise<FloorFigures[]> {
  const { stdout } = await run(await compiled(), [String(seconds), ...FLOOR_CIPHERS]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const fields = Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string]));
      return {
        cipher: fields['cipher']!,
        protectNs: Number(fields['protect_ns']),
        sendtoNs: Number(fields['sendto_ns']),
        totalNs: Number(fields['total_ns']),
        ppsPerCore: Number(fields['pps_per_core']),
      };
    });
}
