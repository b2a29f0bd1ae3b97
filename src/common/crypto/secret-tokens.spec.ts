import { generateSecret, hashSecret, secretMatches } from './secret-tokens';

describe('secret tokens', () => {
  it('should generate prefixed 256-bit secrets', () => {
    const secret = generateSecret('ps');
    expect(secret).toMatch(/^ps_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret('ps')).not.toBe(secret);
  });

  it('should match only the right secret, without throwing on odd stored values', () => {
    const secret = generateSecret('ds');
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(`${secret}x`, hash)).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
    expect(secretMatches(secret, 'zz')).toBe(false);
    expect(secretMatches('', hash)).toBe(false);
    // An unknown id: the same work, never a match.
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches('not-a-real-secret', null)).toBe(false);
  });
});
