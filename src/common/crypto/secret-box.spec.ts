import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));

  it('should round-trip a secret for the same associated data', () => {
    const sealed = box.seal('sk_live_abc', 'workspace:acme:w1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('sk_live_abc');
    expect(box.open(sealed, 'workspace:acme:w1')).toBe('sk_live_abc');
  });

  it('should use a fresh IV each time', () => {
    expect(box.seal('same', 'ctx')).not.toBe(box.seal('same', 'ctx'));
  });

  it('should refuse other associated data, another key, and any changed byte', () => {
    const sealed = box.seal('sk_live_abc', 'workspace:acme:w1');
    expect(() => box.open(sealed, 'workspace:globex:w1')).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed, 'workspace:acme:w1')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const index of [0, 12, 20, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[index] ^= 1;
      expect(() => box.open(`v1.${tampered.toString('base64url')}`, 'workspace:acme:w1')).toThrow();
    }
    expect(() => box.open('v2.abc', 'workspace:acme:w1')).toThrow();
  });

  it('should need a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow();
  });
});
