import { createHmac, createPrivateKey, generateKeyPairSync, KeyObject, randomUUID, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import fc from 'fast-check';
import pino from 'pino';
import { DataSource, IsNull } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { LOGGER } from '../common/logging/logger';
import { buildDataSourceOptions, openDataSource } from '../database/data-source';
import { InvalidTokenError, TokenExpiredError } from '../tokens/tokens.errors';
import { MAX_TOKEN_LENGTH } from '../common/crypto/compact-jws';
import { SigningKey } from './entities/signing-key.entity';
import { rotateSigningKey } from './key-rotation';
import { SigningKeysModule } from './signing-keys.module';
import { SigningKeysService, VerifyOptions } from './signing-keys.service';

const ENCRYPTION_KEY = Buffer.from('signing-keys-unit-test-key-32byt').toString('base64');
const ISSUER = 'https://tessera.example.com';
const AUDIENCE = 'tessera:dashboard';
const OPTIONS: VerifyOptions = { audiences: [AUDIENCE], issuer: ISSUER };
const SILENT = pino({ level: 'silent' });

@Global()
@Module({
  providers: [
    { provide: SecretBox, useValue: new SecretBox(ENCRYPTION_KEY) },
    { provide: LOGGER, useValue: SILENT },
  ],
  exports: [SecretBox, LOGGER],
})
class TestDependenciesModule {}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { iss: ISSUER, aud: AUDIENCE, sub: 'end-user-1', jti: randomUUID(), iat: now, nbf: now, exp: now + 600, ...overrides };
}

/** Signs any header and payload with ES256, for tokens that are wrong in exactly one way. */
function es256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** Replaces the character at `index` with a different base64url character. */
function flipChar(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('SigningKeysService', () => {
  let moduleRef: TestingModule;
  let keys: SigningKeysService;
  let dataSource: DataSource;
  const box = new SecretBox(ENCRYPTION_KEY);

  async function activeRow(): Promise<SigningKey> {
    return dataSource.getRepository(SigningKey).findOneByOrFail({ rotatedAt: IsNull() });
  }

  async function privateKeyOf(kid: string): Promise<KeyObject> {
    const row = await dataSource.getRepository(SigningKey).findOneByOrFail({ kid });
    return createPrivateKey(box.open(row.privateKeySealed, `signing-key:${kid}`));
  }

  async function expectInvalid(token: unknown, options: VerifyOptions = OPTIONS): Promise<void> {
    await expect(keys.verify(token as string, options)).rejects.toBeInstanceOf(InvalidTokenError);
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-signing-keys-'));
    moduleRef = await Test.createTestingModule({
      imports: [
        TestDependenciesModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions({ dataDir, poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 15_000 }, SILENT),
            retryAttempts: 0,
          }),
          dataSourceFactory: (options) => openDataSource(options!),
        }),
        SigningKeysModule,
      ],
    }).compile();
    await moduleRef.init();
    keys = moduleRef.get(SigningKeysService);
    dataSource = moduleRef.get<DataSource>(getDataSourceToken());
  });

  afterAll(() => moduleRef?.close());

  describe('keys', () => {
    it('should create one active ES256 key at start, with the private half sealed and bound to its kid', async () => {
      const rows = await dataSource.getRepository(SigningKey).find();
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({ alg: 'ES256', rotatedAt: null, retireAfter: null });
      expect(row.kid).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Object.keys(row.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
      expect(row.privateKeySealed).toMatch(/^v1\./);
      expect(row.privateKeySealed).not.toContain('PRIVATE KEY');
      expect(box.open(row.privateKeySealed, `signing-key:${row.kid}`)).toContain('-----BEGIN PRIVATE KEY-----');
      expect(() => box.open(row.privateKeySealed, 'signing-key:another-kid')).toThrow();
      expect(keys.jwks()).toEqual({ keys: [{ ...row.publicJwk, kid: row.kid, alg: 'ES256', use: 'sig' }] });
    });

    it('should keep the previous key trusted and published after a rotation, and sign with the new one', async () => {
      const before = await keys.sign(claims());
      const oldKid = (await activeRow()).kid;

      const newKid = await keys.rotate();

      expect(newKid).not.toBe(oldKid);
      const old = await dataSource.getRepository(SigningKey).findOneByOrFail({ kid: oldKid });
      expect(old.rotatedAt).toBeInstanceOf(Date);
      const overlapMs = old.retireAfter!.getTime() - old.rotatedAt!.getTime();
      expect(overlapMs).toBe((24 * 60 + 5) * 60_000);
      expect(keys.jwks().keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
      await expect(keys.verify(before, OPTIONS)).resolves.toMatchObject({ sub: 'end-user-1' });
      const after = await keys.sign(claims());
      expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid: newKid });
    });

    it('should end with exactly one active key when rotations race', async () => {
      await Promise.all([keys.rotate(), keys.rotate(), keys.refresh()]);
      const active = await dataSource.query(`SELECT count(*)::int AS n FROM signing_keys WHERE rotated_at IS NULL`);
      expect(active[0].n).toBe(1);
    });

    it('should rotate by age on refresh, and not before', async () => {
      const kid = (await activeRow()).kid;
      await keys.refresh();
      expect((await activeRow()).kid).toBe(kid);

      // Older than any allowed SIGNING_KEY_ROTATION_DAYS.
      await dataSource.query(`UPDATE signing_keys SET created_at = now() - interval '400 days' WHERE kid = $1`, [kid]);
      await keys.refresh();
      const next = await activeRow();
      expect(next.kid).not.toBe(kid);
      expect(keys.jwks().keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid, next.kid]));
    });

    it('should stop publishing and trusting a key once it is retired', async () => {
      const token = await keys.sign(claims());
      const kid = (await activeRow()).kid;
      await keys.rotate();
      await expect(keys.verify(token, OPTIONS)).resolves.toBeDefined();

      await dataSource.query(`UPDATE signing_keys SET retire_after = now() - interval '1 second' WHERE kid = $1`, [kid]);
      await keys.reload();

      expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(kid);
      await expectInvalid(token);
    });

    it('should not trust a key row whose public key is not the sealed private key (written without ENCRYPTION_KEY)', async () => {
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { kty, crv, x, y } = attacker.publicKey.export({ format: 'jwk' });
      const genuine = await activeRow();
      // Rows planted by someone who can write the table but lacks ENCRYPTION_KEY: their own public key with
      // the genuine sealed private key copied over (bound to another kid, so it does not open), or with junk.
      await dataSource.getRepository(SigningKey).insert([
        { kid: 'planted-1', publicJwk: { kty: kty!, crv: crv!, x: x!, y: y! }, privateKeySealed: genuine.privateKeySealed, rotatedAt: new Date(), retireAfter: new Date(Date.now() + 3_600_000) },
        { kid: 'planted-2', publicJwk: { kty: kty!, crv: crv!, x: x!, y: y! }, privateKeySealed: 'v1.AAAA', rotatedAt: new Date(), retireAfter: new Date(Date.now() + 3_600_000) },
      ]);
      await keys.reload();

      expect(keys.jwks().keys.map((k) => k.kid)).not.toContain('planted-1');
      expect(keys.jwks().keys.map((k) => k.kid)).not.toContain('planted-2');
      for (const kid of ['planted-1', 'planted-2']) await expectInvalid(es256({ alg: 'ES256', typ: 'JWT', kid }, claims(), attacker.privateKey));
      await dataSource.query(`DELETE FROM signing_keys WHERE kid LIKE 'planted-%'`);
    });

    it('should reload at most once a second for unknown kids, and then find a key rotated elsewhere', async () => {
      const reload = jest.spyOn(keys, 'reload');
      try {
        await sleep(1_100);
        const unknown = es256({ alg: 'ES256', typ: 'JWT', kid: 'nobody' }, claims(), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
        await Promise.all([expectInvalid(unknown), expectInvalid(unknown)]);
        for (let i = 0; i < 5; i += 1) await expectInvalid(unknown);
        expect(reload).toHaveBeenCalledTimes(1);

        // Another instance rotates (the shared function writes straight to the database).
        const kid = await rotateSigningKey(dataSource, box);
        const token = es256({ alg: 'ES256', typ: 'JWT', kid }, claims(), await privateKeyOf(kid));
        await sleep(1_100);
        await expect(keys.verify(token, OPTIONS)).resolves.toMatchObject({ sub: 'end-user-1' });
        expect(reload).toHaveBeenCalledTimes(2);
      } finally {
        reload.mockRestore();
      }
    });
  });

  describe('sign and verify', () => {
    let key: KeyObject;
    let kid: string;
    const header = (): Record<string, unknown> => ({ alg: 'ES256', typ: 'JWT', kid });

    beforeAll(async () => {
      await keys.refresh();
      kid = (await activeRow()).kid;
      key = await privateKeyOf(kid);
    });

    it('should return the claims of a token it signed, unchanged', async () => {
      const payload = claims({ typ: 'dashboard', params: { region: 'eu', n: 3 }, aud: [AUDIENCE, 'other'] });
      const token = await keys.sign(payload);
      const parts = token.split('.');
      expect(parts).toHaveLength(3);
      expect(JSON.parse(Buffer.from(parts[0], 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid });
      expect(JSON.parse(Buffer.from(parts[1], 'base64url').toString())).toEqual(payload);
      expect(Buffer.from(parts[2], 'base64url')).toHaveLength(64);
      await expect(keys.verify(token, OPTIONS)).resolves.toEqual(payload);
      await expect(keys.verify(token, { audiences: ['other'], issuer: ISSUER })).resolves.toEqual(payload);
    });

    it('should refuse a token with any one character changed in its header, payload or signature', async () => {
      const token = await keys.sign(claims());
      const [h, p] = token.split('.');
      for (const index of [5, h.length - 3, h.length + 1 + Math.floor(p.length / 2), token.length - 40, token.length - 2]) {
        await expectInvalid(flipChar(token, index));
      }
    });

    it.each([
      ['none', { alg: 'none' }],
      ['HS256', { alg: 'HS256' }],
      ['ES384', { alg: 'ES384' }],
      ['a missing alg', { alg: undefined }],
      ['an unknown kid', { kid: 'unknown-kid' }],
      ['a missing kid', { kid: undefined }],
      ['jku', { jku: 'https://evil.example.com/jwks.json' }],
      ['x5u', { x5u: 'https://evil.example.com/cert.pem' }],
      ['jwk', { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } }],
      ['x5c', { x5c: ['MIIB'] }],
      ['crit', { crit: ['exp'] }],
    ])('should refuse a correctly signed token whose header has %s', async (_name, change) => {
      await expectInvalid(es256({ ...header(), ...change }, claims(), key));
    });

    it('should refuse alg none without a signature, and HS256 keyed with the public key', async () => {
      const payload = b64(claims());
      await expectInvalid(`${b64({ alg: 'none', typ: 'JWT', kid })}.${payload}.`);
      const publicJwk = JSON.stringify(keys.jwks().keys[0]);
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${payload}`;
      await expectInvalid(`${input}.${createHmac('sha256', publicJwk).update(input).digest('base64url')}`);
    });

    it('should refuse a token signed by another key under a known kid', async () => {
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      await expectInvalid(es256(header(), claims(), other));
    });

    it.each([
      ['a wrong audience', { aud: 'tessera:project' }],
      ['an audience list without ours', { aud: ['a', 'b'] }],
      ['a non-string audience', { aud: [1] }],
      ['no audience', { aud: undefined }],
      ['a wrong issuer', { iss: 'https://evil.example.com' }],
      ['no issuer', { iss: undefined }],
      ['no exp', { exp: undefined }],
      ['no iat', { iat: undefined }],
      ['no jti', { jti: undefined }],
      ['an empty jti', { jti: '' }],
      ['a string exp', { exp: String(nowSeconds() + 600) }],
      ['a string nbf', { nbf: 'now' }],
      ['nbf in the future beyond the skew', { nbf: nowSeconds() + 30 }],
      ['iat in the future beyond the skew', { iat: nowSeconds() + 30 }],
    ])('should refuse a correctly signed token with %s', async (_name, change) => {
      await expectInvalid(es256(header(), claims(change), key));
    });

    it('should refuse a payload that is not a JSON object even when signed', async () => {
      for (const payload of ['[1,2]', '"text"', 'null', '{"a":']) {
        const input = `${b64(header())}.${Buffer.from(payload).toString('base64url')}`;
        await expectInvalid(`${input}.${cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`);
      }
    });

    it('should accept nbf and exp within the 5 s clock skew', async () => {
      const now = nowSeconds();
      await expect(keys.verify(es256(header(), claims({ nbf: now + 3, iat: now + 3 }), key), OPTIONS)).resolves.toBeDefined();
      await expect(keys.verify(es256(header(), claims({ exp: now - 3 }), key), OPTIONS)).resolves.toBeDefined();
    });

    it('should say TOKEN_EXPIRED for a genuine expired token, and INVALID_TOKEN for a forged one', async () => {
      const expired = await keys.sign(claims({ iat: nowSeconds() - 120, nbf: nowSeconds() - 120, exp: nowSeconds() - 10 }));
      await expect(keys.verify(expired, OPTIONS)).rejects.toBeInstanceOf(TokenExpiredError);
      await expectInvalid(flipChar(expired, expired.length - 20));
      await expectInvalid(es256(header(), claims({ exp: nowSeconds() - 10 }), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
      // Expired but for someone else: not ours, so invalid rather than expired.
      await expectInvalid(es256(header(), claims({ exp: nowSeconds() - 10, aud: 'other' }), key));
    });

    it('should accept a token of exactly 16 KB and refuse a longer one', async () => {
      const sized = (n: number): string => es256(header(), claims({ pad: 'x'.repeat(n) }), key);
      let n = 10_000;
      while (sized(n + 1).length <= MAX_TOKEN_LENGTH) n += 1;
      expect(sized(n).length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
      expect(sized(n).length).toBeGreaterThan(MAX_TOKEN_LENGTH - 3);
      await expect(keys.verify(sized(n), OPTIONS)).resolves.toBeDefined();
      await expectInvalid(sized(n + 1));
      await expectInvalid(sized(100_000));
    });

    it('should refuse padding, standard-base64 characters and non-canonical signatures', async () => {
      const token = await keys.sign(claims());
      const [h, p, s] = token.split('.');
      await expectInvalid(`${h}.${p}.${s}==`);
      await expectInvalid(`${h}=.${p}.${s}`);
      await expectInvalid(`${h}.${p}=.${s}`);
      await expectInvalid(`${h}.${p}.${s.replace(/[-_]/, '+')}`);
      await expectInvalid(`${h}.${p.replace(/^./, '/')}.${s}`);
      await expectInvalid(`${h}.${p}.${s.slice(0, -1)}`);
      await expectInvalid(`${h}.${p}.${s}A`);
      // 64 bytes leave four spare bits in the last character; any non-zero one is another spelling.
      const last = 'AQgw'.includes(s.at(-1)!) ? String.fromCharCode(s.charCodeAt(s.length - 1) + 1) : 'A';
      await expectInvalid(`${h}.${p}.${s.slice(0, -1)}${last}`);
      await expectInvalid(` ${token}`);
      await expectInvalid(`${token}\n`);
    });

    it.each([
      ['an empty string', ''],
      ['one part', 'abc'],
      ['two parts', 'abc.def'],
      ['four parts', 'a.b.c.d'],
      ['empty parts', '..'],
      ['a non-JSON header', `${Buffer.from('hello').toString('base64url')}.e30.${'A'.repeat(86)}`],
      ['a JSON array header', `${Buffer.from('[]').toString('base64url')}.e30.${'A'.repeat(86)}`],
      ['invalid UTF-8 in the header', `${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.e30.${'A'.repeat(86)}`],
      ['non-ASCII text', 'ééé.ééé.ééé'],
      ['a number', 42],
      ['null', null],
      ['undefined', undefined],
      ['an object', { token: 'x' }],
    ])('should refuse %s', async (_name, token) => {
      await expectInvalid(token);
    });

    it('should throw nothing but InvalidTokenError for arbitrary input', async () => {
      const part = fc.stringMatching(/^[A-Za-z0-9_=+/.-]{0,120}$/);
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.tuple(part, part, part).map((p) => p.join('.'))), async (token) => {
          await expect(keys.verify(token, OPTIONS)).rejects.toBeInstanceOf(InvalidTokenError);
        }),
        { numRuns: 300 },
      );
    });
  });
});
