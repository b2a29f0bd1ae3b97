import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Random credentials shown once (`ps_…` project secrets, `ds_…` dashboard secrets). They carry
 * 256 bits of entropy, so a SHA-256 digest is a safe way to store them: nothing to brute-force,
 * and verification stays a fast constant-time compare.
 */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** Compared against when there is no stored hash, so an unknown id costs what a wrong secret costs. */
const NO_HASH = hash('sha256', 'not-a-real-secret', 'hex');

/**
 * Constant-time; a malformed stored hash simply does not match. Pass `undefined` when the id
 * was not found: the same work is done, and the answer is false.
 */
export function secretMatches(secret: string, storedHash: string | undefined | null): boolean {
  const expected = Buffer.from(storedHash ?? NO_HASH, 'hex');
  const actual = hash('sha256', secret, 'buffer');
  return expected.length === actual.length && timingSafeEqual(expected, actual) && storedHash != null;
}
