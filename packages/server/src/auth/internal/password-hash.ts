import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/**
 * Passwords are stored as scrypt hashes (memory-hard, built into Node). The cost
 * parameters travel with each hash, so SCRYPT_COST can be raised later without
 * invalidating existing accounts: old hashes keep verifying with their own
 * parameters, and `tertulia user passwd` rewrites them with the new ones.
 */
export const PasswordHash = z.object({
  algorithm: z.literal('scrypt'),
  /** CPU/memory cost (a power of two), block size and parallelism. */
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  /** base64. */
  salt: z.string().min(16),
  hash: z.string().min(16),
});
export type PasswordHash = z.infer<typeof PasswordHash>;

/** 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s per hash: slow for guessing, fine for a login. */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = SCRYPT_COST): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored, expected.length);
  return timingSafeEqual(actual, expected);
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }, length = KEY_BYTES): Promise<Buffer> {
  // NFC first, so a password typed with composed or decomposed accents is the same password.
  const secret = Buffer.from(password.normalize('NFC'), 'utf8');
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly the default cost, so leave headroom.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
