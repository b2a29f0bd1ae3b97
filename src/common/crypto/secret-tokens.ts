import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Random credentials shown once (`ps_…` project secrets, `ds_…` dashboard secrets). They carry
 * 256 bits of entropy, so a SHA-256 digest is a safe way to store them: nothing to brute-force,
 * and verification stays a fast constant-time compare.
 */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time; a malformed stored hash simply does not match. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
