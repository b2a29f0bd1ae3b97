import fc from 'fast-check';
import { papermapAuthHeaders, signPapermap, verifyPapermapSignature } from './papermap-signature';

// Expected values computed once outside Node, e.g.
//   printf '%s' 'workspace-4561699999999' | openssl dgst -sha256 -hmac 'secret-key'
const VECTORS = [
  {
    workspaceId: 'workspace-456',
    validUntil: 1699999999,
    secretKey: 'secret-key',
    signature: '3a42190b6df6208ef23b2ea21c2676b06d78e46f4f05edfd5fc928ead43aca76',
  },
  { workspaceId: 'ws', validUntil: 0, secretKey: 'k', signature: 'd876527a6a8398a4f6aa50a61c6c57772d83816f592c08cc87952beaca9455b7' },
  {
    workspaceId: 'wörkspäce-日本',
    validUntil: 1700000300,
    secretKey: 'sëcret-🔑',
    signature: '8e78a54c32800d4ab87b0967ace6cf826f064a535cf71fd08e13f3c247a33ee5',
  },
  { workspaceId: '', validUntil: 1, secretKey: 's', signature: '0d42ca66c4d28025bd8c84c764b4bff33c8c7b66efad33b1edbee042baee2989' },
];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });
const codePointString = (minLength = 0) => fc.string({ unit: 'binary', minLength });
const validUntilArb = fc.integer({ min: 0, max: 2 ** 40 });

/** Replaces the code point at `index % length` with `replacement`; null when nothing would change. */
function changeChar(value: string, index: number, replacement: string): string | null {
  const chars = [...value];
  const at = index % chars.length;
  if (chars[at] === replacement) return null;
  chars[at] = replacement;
  return chars.join('');
}

describe('papermap signature', () => {
  it.each(VECTORS)('should match the known answer for workspace "$workspaceId" and $validUntil', ({ workspaceId, validUntil, secretKey, signature }) => {
    expect(signPapermap(workspaceId, validUntil, secretKey)).toBe(signature);
    expect(verifyPapermapSignature(workspaceId, String(validUntil), signature, secretKey)).toBe(true);
  });

  it('should build the four headers with X-Valid-Until = now + 300 s', () => {
    const headers = papermapAuthHeaders({ apiKeyId: 'ak_1', workspaceId: 'workspace-456', secretKey: 'secret-key' }, 1699999699.9);
    expect(headers).toEqual({
      'X-API-Key-ID': 'ak_1',
      'X-Workspace-ID': 'workspace-456',
      'X-Valid-Until': '1699999999',
      'X-Signature': VECTORS[0].signature,
    });
  });

  it('should reject a signature that is not lowercase hex of 64 characters', () => {
    const { workspaceId, validUntil, secretKey, signature } = VECTORS[0];
    for (const bad of ['', 'zz', signature.toUpperCase(), signature.slice(0, 62), `${signature}00`, ` ${signature}`, `${signature.slice(0, 63)}g`]) {
      expect(verifyPapermapSignature(workspaceId, String(validUntil), bad, secretKey)).toBe(false);
    }
  });

  it('should reject the same signature for another workspace, time or key', () => {
    const { workspaceId, validUntil, secretKey, signature } = VECTORS[0];
    expect(verifyPapermapSignature('workspace-457', String(validUntil), signature, secretKey)).toBe(false);
    expect(verifyPapermapSignature(workspaceId, String(validUntil + 1), signature, secretKey)).toBe(false);
    expect(verifyPapermapSignature(workspaceId, `0${validUntil}`, signature, secretKey)).toBe(false);
    expect(verifyPapermapSignature(workspaceId, String(validUntil), signature, `${secretKey}x`)).toBe(false);
  });

  it('should verify every signature it makes', () => {
    fc.assert(
      fc.property(codePointString(), validUntilArb, codePointString(), (workspaceId, validUntil, secretKey) => {
        const signature = signPapermap(workspaceId, validUntil, secretKey);
        expect(signature).toMatch(/^[0-9a-f]{64}$/);
        return verifyPapermapSignature(workspaceId, String(validUntil), signature, secretKey);
      }),
    );
  });

  it('should reject when any character of the workspace id changes', () => {
    fc.assert(
      fc.property(codePointString(1), validUntilArb, codePointString(), fc.nat(), codePointString(1).filter((s) => [...s].length === 1), (workspaceId, validUntil, secretKey, index, replacement) => {
        const changed = changeChar(workspaceId, index, replacement);
        fc.pre(changed !== null);
        const signature = signPapermap(workspaceId, validUntil, secretKey);
        return !verifyPapermapSignature(changed!, String(validUntil), signature, secretKey);
      }),
    );
  });

  it('should reject when any character of valid-until changes', () => {
    fc.assert(
      fc.property(codePointString(), validUntilArb, codePointString(), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), (workspaceId, validUntil, secretKey, index, replacement) => {
        const changed = changeChar(String(validUntil), index, replacement);
        fc.pre(changed !== null);
        const signature = signPapermap(workspaceId, validUntil, secretKey);
        return !verifyPapermapSignature(workspaceId, changed!, signature, secretKey);
      }),
    );
  });

  it('should reject when any character of the signature changes', () => {
    fc.assert(
      fc.property(codePointString(), validUntilArb, codePointString(), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), (workspaceId, validUntil, secretKey, index, replacement) => {
        const signature = signPapermap(workspaceId, validUntil, secretKey);
        const changed = changeChar(signature, index, replacement);
        fc.pre(changed !== null);
        return !verifyPapermapSignature(workspaceId, String(validUntil), changed!, secretKey);
      }),
    );
  });

  it('should never throw on arbitrary input', () => {
    fc.assert(
      fc.property(codeUnitString, codeUnitString, fc.oneof(codeUnitString, fc.stringMatching(/^[0-9a-fA-F]{0,70}$/)), codeUnitString, (workspaceId, validUntil, signature, secretKey) => {
        expect(typeof verifyPapermapSignature(workspaceId, validUntil, signature, secretKey)).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (a, b, c, d) => {
        expect(verifyPapermapSignature(a as string, b as string, c as string, d as string)).toBe(false);
      }),
    );
  });
});
