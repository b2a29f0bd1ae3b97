import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { InvalidTokenError } from '../../src/tokens/tokens.errors';
import { spawnServer } from '../support/server-process';
import { resetDatabase, startTestApp, TEST_SECRETS, TestApp } from '../support/test-app';
import { runDatabaseUrl } from '../support/test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'signing-keys', 'cli', 'rotate-keys.cli.js');
const ISSUER = 'https://tessera.test';
const AUDIENCE = 'tessera:dashboard';
const OPTIONS = { audiences: [AUDIENCE], issuer: ISSUER };

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-keys-'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const kidOf = (token: string): string | undefined => decodeProtectedHeader(token).kid;

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: 'end-user-1', jti: randomUUID(), iat: now, nbf: now, exp: now + 600 };
}

function rotateCli(env: Record<string, string | undefined>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI], { env: { PATH: process.env.PATH, ...env } });
}

async function activeKids(t: TestApp): Promise<string[]> {
  const rows: Array<{ kid: string }> = await t.dataSource.query(`SELECT kid FROM signing_keys WHERE rotated_at IS NULL`);
  return rows.map((r) => r.kid);
}

describe('signing keys', () => {
  let t: TestApp;
  let keys: SigningKeysService;
  let refreshedAt = 0;

  beforeAll(async () => {
    t = await startTestApp();
    keys = t.app.get(SigningKeysService);
  });
  beforeEach(async () => {
    // resetDatabase empties signing_keys too: let the running service start again from nothing.
    await resetDatabase(t.dataSource);
    await keys.refresh();
    refreshedAt = Date.now();
  });
  afterAll(() => t?.close());

  describe('GET /.well-known/jwks.json', () => {
    it('should publish the public keys without authentication or envelope, cacheable for five minutes', async () => {
      const [kid] = await activeKids(t);
      const res = await request(t.url).get('/.well-known/jwks.json').expect(200);

      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(Object.keys(res.body)).toEqual(['keys']);
      expect(res.body.keys).toHaveLength(1);
      const [jwk] = res.body.keys;
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid });
      expect(Buffer.from(jwk.x, 'base64url')).toHaveLength(32);
      expect(Buffer.from(jwk.y, 'base64url')).toHaveLength(32);
    });

    it('should never publish a private field, before or after rotations', async () => {
      await keys.rotate();
      await keys.rotate();
      const res = await request(t.url).get('/.well-known/jwks.json').expect(200);
      expect(res.body.keys).toHaveLength(3);
      for (const jwk of res.body.keys) expect(Object.keys(jwk)).not.toEqual(expect.arrayContaining(['d']));
      expect(res.text).not.toMatch(/"d"|PRIVATE|"p"|"q"/);
    });

    it('should let a standard JOSE library verify Tessera tokens with the published set', async () => {
      const token = await keys.sign(claims());
      const jwks = (await request(t.url).get('/.well-known/jwks.json').expect(200)).body;
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE });
      expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: jwks.keys[0].kid });
      expect(payload.sub).toBe('end-user-1');
    });

    it('should be documented in the OpenAPI document as public, under jwks', async () => {
      const doc = (await request(t.url).get('/docs-json').expect(200)).body;
      const operation = doc.paths['/.well-known/jwks.json'].get;
      expect(operation.tags).toEqual(['jwks']);
      expect(operation.security).toEqual([]); // explicitly public
      expect(operation.responses['200'].content['application/json'].schema.properties.keys.items.required).toEqual(
        expect.arrayContaining(['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']),
      );
    });
  });

  describe('keys in the database', () => {
    it('should create a key on the first start against an empty table', async () => {
      await resetDatabase(t.dataSource);
      const fresh = await startTestApp();
      try {
        const active = await activeKids(t);
        expect(active).toHaveLength(1);
        expect(fresh.app.get(SigningKeysService).jwks().keys.map((k) => k.kid)).toEqual(active);
        expect(kidOf(await fresh.app.get(SigningKeysService).sign(claims()))).toBe(active[0]);
      } finally {
        await fresh.close();
      }
    });

    it('should store the private key sealed: no PEM, no key material without ENCRYPTION_KEY', async () => {
      const [row] = await t.dataSource.query(`SELECT kid, private_key_sealed, public_jwk FROM signing_keys`);
      expect(row.private_key_sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(row.private_key_sealed).not.toMatch(/BEGIN|PRIVATE|KEY-----/);
      expect(Buffer.from(row.private_key_sealed.slice(3), 'base64url').toString('latin1')).not.toMatch(/BEGIN|PRIVATE/);
      expect(row.public_jwk).not.toHaveProperty('d');
      const otherKey = new SecretBox(Buffer.alloc(32, 7).toString('base64'));
      expect(() => otherKey.open(row.private_key_sealed, `signing-key:${row.kid}`)).toThrow();
      expect(new SecretBox(TEST_SECRETS.ENCRYPTION_KEY).open(row.private_key_sealed, `signing-key:${row.kid}`)).toContain('BEGIN PRIVATE KEY');
    });
  });

  describe('rotation', () => {
    it('should keep the old key published and its tokens valid, and sign new tokens with the new kid', async () => {
      const [oldKid] = await activeKids(t);
      const oldToken = await keys.sign(claims());

      const newKid = await keys.rotate();

      expect(await activeKids(t)).toEqual([newKid]);
      const published = (await request(t.url).get('/.well-known/jwks.json').expect(200)).body.keys.map((k: { kid: string }) => k.kid);
      expect(published).toEqual([newKid, oldKid]);
      await expect(keys.verify(oldToken, OPTIONS)).resolves.toMatchObject({ sub: 'end-user-1' });
      const newToken = await keys.sign(claims());
      expect(kidOf(newToken)).toBe(newKid);
      await expect(keys.verify(newToken, OPTIONS)).resolves.toBeDefined();
    });

    it('should stop publishing a retired key and refuse its tokens', async () => {
      const [oldKid] = await activeKids(t);
      const oldToken = await keys.sign(claims());
      await keys.rotate();

      await t.dataSource.query(`UPDATE signing_keys SET retire_after = now() - interval '1 second' WHERE kid = $1`, [oldKid]);
      await keys.reload();

      const published = (await request(t.url).get('/.well-known/jwks.json').expect(200)).body.keys.map((k: { kid: string }) => k.kid);
      expect(published).not.toContain(oldKid);
      expect(published).toHaveLength(1);
      await expect(keys.verify(oldToken, OPTIONS)).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });

  describe('several instances', () => {
    it('should end with exactly one active key when two instances start at once on an empty table', async () => {
      await resetDatabase(t.dataSource);
      const [a, b] = await Promise.all([startTestApp(), startTestApp()]);
      try {
        const active = await activeKids(t);
        expect(active).toHaveLength(1);
        const fromA = await a.app.get(SigningKeysService).sign(claims());
        const fromB = await b.app.get(SigningKeysService).sign(claims());
        expect([kidOf(fromA), kidOf(fromB)]).toEqual([active[0], active[0]]);
        await expect(b.app.get(SigningKeysService).verify(fromA, OPTIONS)).resolves.toBeDefined();
        await expect(a.app.get(SigningKeysService).verify(fromB, OPTIONS)).resolves.toBeDefined();

        // Rotating at the same moment: one active key afterwards, whoever wins.
        await Promise.all([a.app.get(SigningKeysService).rotate(), b.app.get(SigningKeysService).rotate()]);
        expect(await activeKids(t)).toHaveLength(1);

        // Both find the key due by age at once: it is rotated once, not twice.
        const rowsBefore = (await t.dataSource.query(`SELECT count(*)::int AS n FROM signing_keys`))[0].n;
        await t.dataSource.query(`UPDATE signing_keys SET created_at = now() - interval '400 days' WHERE rotated_at IS NULL`);
        await Promise.all([a.app.get(SigningKeysService).refresh(), b.app.get(SigningKeysService).refresh()]);
        expect(await activeKids(t)).toHaveLength(1);
        expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM signing_keys`))[0].n).toBe(rowsBefore + 1);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });

  describe('npm run keys:rotate', () => {
    it('should rotate, print the new kid, and a running instance should accept tokens signed with it', async () => {
      const [oldKid] = await activeKids(t);
      const oldToken = await keys.sign(claims());

      const { stdout } = await rotateCli({ ...TEST_SECRETS, DATABASE_URL: runDatabaseUrl(), DATA_DIR: tempDir() });

      const newKid = stdout.trim();
      expect(newKid).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await activeKids(t)).toEqual([newKid]);
      // Another instance, started after the rotation, signs with the new key …
      const other = await startTestApp();
      let newToken: string;
      try {
        newToken = await other.app.get(SigningKeysService).sign(claims());
      } finally {
        await other.close();
      }
      expect(kidOf(newToken)).toBe(newKid);
      // … and the instance that was already running has never seen that kid: it reloads and accepts it.
      expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(newKid);
      await sleep(Math.max(0, refreshedAt + 1_100 - Date.now()));
      await expect(keys.verify(newToken, OPTIONS)).resolves.toMatchObject({ sub: 'end-user-1' });
      expect(keys.jwks().keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
      await expect(keys.verify(oldToken, OPTIONS)).resolves.toBeDefined();
    });

    it('should refuse to open the embedded database while the server runs, and rotate once it is stopped', async () => {
      const dataDir = tempDir();
      const env = { ...TEST_SECRETS, DATA_DIR: dataDir };
      const first = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
      let firstKid: string;
      try {
        [firstKid] = first.app.get(SigningKeysService).jwks().keys.map((k) => k.kid);
        const refused = await rotateCli(env).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        );
        expect(refused?.code).toBe(1);
        expect(refused?.stderr).toContain('stop the Tessera server first');
      } finally {
        await first.close();
      }

      const { stdout } = await rotateCli(env);
      const newKid = stdout.trim();

      const second = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
      try {
        expect(second.app.get(SigningKeysService).jwks().keys.map((k) => k.kid)).toEqual([newKid, firstKid]);
      } finally {
        await second.close();
      }
    });
  });

  describe('SIGNING_KEY_ROTATION_DAYS', () => {
    it('should stop the start with one clear line when it is not a whole number of days from 1 to 365', async () => {
      const server = spawnServer({ PORT: '0', DATA_DIR: tempDir(), DATABASE_URL: runDatabaseUrl(), ...TEST_SECRETS, SIGNING_KEY_ROTATION_DAYS: '0' });
      expect(await server.exited).toBe(1);
      expect(server.stderr()).toContain('SIGNING_KEY_ROTATION_DAYS must be an integer between 1 and 365');
    });
  });
});
