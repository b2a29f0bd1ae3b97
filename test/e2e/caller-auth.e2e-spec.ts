import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { base64url, exportJWK, exportSPKI, generateKeyPair, JWK, JWTHeaderParameters, KeyLike, SignJWT } from 'jose';
import request, { Response } from 'supertest';
import { CLOCK_SKEW_SECONDS, MAX_CALLER_TOKEN_LENGTH } from '../../src/auth/caller-jwt.verifier';
import { bearer, callerToken } from '../support/caller-tokens';
import { resetDatabase, startTestApp, TEST_SECRETS, TestApp } from '../support/test-app';

/**
 * Caller JWTs end to end (RFC 8725 checklist): every refusal is the same 401 UNAUTHORIZED,
 * never a 500, whatever is wrong with the token. HS256 mode, issuer/audience, key-reference
 * headers, JWKS mode (RS256/ES256, cache, cool-down, rotation) and a sweep of every route.
 */

const TENANTS = '/api/v1/tenants';
const EMPTY_LIST = { success: true, data: [], total: 0 };
const now = (): number => Math.floor(Date.now() / 1000);
const secretKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));
const b64json = (value: unknown): string => base64url.encode(JSON.stringify(value));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Valid caller claims for org `acme` (an admin); `undefined` in overrides removes a claim. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { sub: 'user-1', org: 'acme', role: 'admin', tenants: [], iat: now(), exp: now() + 3600, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** Signs whatever it is given (any algorithm, any header), like an attacker or a misconfigured IdP would. */
function sign(
  payload: Record<string, unknown>,
  key: KeyLike | Uint8Array,
  header: JWTHeaderParameters = { alg: 'HS256', typ: 'JWT' },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

/** HS256 with the tests' JWT_SECRET unless told otherwise. */
const signHs = (payload: Record<string, unknown>, header: Partial<JWTHeaderParameters> = {}): Promise<string> =>
  sign(payload, secretKey(TEST_SECRETS.JWT_SECRET), { alg: 'HS256', typ: 'JWT', ...header });

/** A token built by hand: no library would produce these. */
const handMade = (header: unknown, payload: unknown, signature = ''): string => `${b64json(header)}.${b64json(payload)}.${signature}`;

/** The one refusal: 401, the fixed message, the request id, a Bearer challenge, and nothing else. */
function expectUnauthorized(res: Response): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: 401,
    body: { success: false, code: 'UNAUTHORIZED', error: 'Missing or invalid caller token', request_id: res.headers['x-request-id'] },
  });
  expect(res.headers['www-authenticate']).toBe('Bearer');
}

/** GET /api/v1/tenants with the given Authorization header (or none). */
function listTenants(t: TestApp, authorization?: string): request.Test {
  const req = request(t.url).get(TENANTS);
  return authorization === undefined ? req : req.set('Authorization', authorization);
}

/** A local HTTP server the test controls: it serves `body` at any path and counts every request. */
interface CountingServer {
  url: string;
  hits: string[];
  body: () => unknown;
  close(): Promise<void>;
}

async function startCountingServer(body: () => unknown): Promise<CountingServer> {
  const hits: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    body,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // jose fetches with Node's keep-alive global agent: drop those sockets too.
        server.closeAllConnections();
      }),
  };
}

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  publicKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

/** The public key as a `jwk` header carries it (no kid/alg/use). */
const embeddedJwk = ({ jwk }: SigningKey): JWK => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e });

const signWith = (key: SigningKey, payload: Record<string, unknown> = claims(), header: Partial<JWTHeaderParameters> = {}): Promise<string> =>
  sign(payload, key.privateKey, { alg: key.alg, typ: 'JWT', kid: key.kid, ...header });

describe('caller authentication (PostgreSQL)', () => {
  // Attacker-controlled keys and a server that jku / x5u point at: it must never be contacted.
  let attackerRsa: SigningKey;
  let attackerEc: SigningKey;
  let attacker: CountingServer;

  beforeAll(async () => {
    [attackerRsa, attackerEc] = await Promise.all([signingKey('attacker-rsa', 'RS256'), signingKey('attacker-ec', 'ES256')]);
    attacker = await startCountingServer(() => ({ keys: [attackerRsa.jwk, attackerEc.jwk] }));
  });
  afterAll(() => attacker.close());

  describe('HS256 mode', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp();
    });
    beforeEach(() => resetDatabase(t.dataSource));
    afterAll(() => t.close());

    it('should accept a valid admin token of org acme with 200 and the empty list', async () => {
      const res = await listTenants(t, `Bearer ${await callerToken()}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    });

    // 1. Missing or malformed credentials.

    it('should answer 401 when there is no Authorization header', async () => {
      expectUnauthorized(await listTenants(t));
    });

    it('should answer 401 when the scheme is Basic', async () => {
      expectUnauthorized(await listTenants(t, `Basic ${Buffer.from('admin:admin').toString('base64')}`));
      // Even a valid JWT is only read from a Bearer header.
      expectUnauthorized(await listTenants(t, `Basic ${await callerToken()}`));
    });

    it.each([
      ['empty', 'Bearer '],
      ['only the scheme', 'Bearer'],
      ['garbage', 'Bearer garbage!!$%'],
      ['not base64url JSON', 'Bearer not-a-jwt'],
      ['a.b.c', 'Bearer a.b.c'],
      ['two parts', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30'],
    ])('should answer 401 when the Bearer token is %s', async (_name, authorization) => {
      expectUnauthorized(await listTenants(t, authorization));
    });

    it('should answer 401 when a validly signed token is over 8 KB, and 200 just under it', async () => {
      const under = await signHs(claims({ pad: 'x'.repeat(5_500) }));
      const over = await signHs(claims({ pad: 'x'.repeat(6_500) }));
      expect(under.length).toBeLessThanOrEqual(MAX_CALLER_TOKEN_LENGTH);
      expect(over.length).toBeGreaterThan(MAX_CALLER_TOKEN_LENGTH);
      expect((await listTenants(t, `Bearer ${under}`)).status).toBe(200);
      expectUnauthorized(await listTenants(t, `Bearer ${over}`));
    });

    // 2. alg: none, built by hand.

    it.each(['none', 'None', 'NONE', 'nOnE'])('should answer 401 when alg is "%s" with an empty or a bogus signature', async (alg) => {
      const header = { alg, typ: 'JWT' };
      expectUnauthorized(await listTenants(t, `Bearer ${handMade(header, claims())}`));
      expectUnauthorized(await listTenants(t, `Bearer ${handMade(header, claims(), base64url.encode('bogus-signature'))}`));
      // The signature of a real token pasted onto an alg:none header does not help either.
      const realSignature = (await callerToken()).split('.')[2];
      expectUnauthorized(await listTenants(t, `Bearer ${handMade(header, claims(), realSignature)}`));
    });

    // 3. Algorithms outside the allow-list.

    it.each(['HS384', 'HS512'] as const)('should answer 401 when the token is %s even though it is signed with the right secret', async (alg) => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims(), { alg })}`));
    });

    it('should answer 401 when the token is RS256, signed with a fresh RSA key', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerRsa)}`));
    });

    // 4. Time claims, with the 60 s skew.

    it('should answer 401 when exp is missing', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ exp: undefined }))}`));
    });

    it('should answer 401 when exp is further in the past than the allowed skew', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ exp: now() - CLOCK_SKEW_SECONDS - 30 }))}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iat: now() - 7200, exp: now() - 3600 }))}`));
    });

    it('should answer 401 when nbf is 5 minutes in the future', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ nbf: now() + 300 }))}`));
    });

    it('should answer 401 when iat is 5 minutes in the future', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iat: now() + 300 }))}`));
    });

    it('should answer 401 when exp is not a number', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ exp: String(now() + 3600) }))}`));
    });

    it('should accept nbf and iat 30 s in the future (within the skew)', async () => {
      const res = await listTenants(t, `Bearer ${await signHs(claims({ nbf: now() + 30, iat: now() + 30 }))}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    });

    it('should accept exp 30 s in the past (within the skew)', async () => {
      const res = await listTenants(t, `Bearer ${await signHs(claims({ iat: now() - 600, exp: now() - 30 }))}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    });

    // 5. Signature.

    it('should answer 401 when the token is signed with another secret', async () => {
      const token = await sign(claims(), secretKey('another-Zq8vX2mN5pR7sT9wY3zA6cE1gH4kL0oQ-jwt'));
      expectUnauthorized(await listTenants(t, `Bearer ${token}`));
    });

    it('should answer 401 when the payload is altered (member to admin) and the signature kept', async () => {
      const member = await signHs(claims({ role: 'member' }));
      expect((await listTenants(t, `Bearer ${member}`)).status).toBe(200);
      const [header, payload, signature] = member.split('.');
      const json = Buffer.from(payload, 'base64url').toString('utf8');
      expect(json).toContain('"role":"member"');
      const forged = `${header}.${base64url.encode(json.replace('"role":"member"', '"role":"admin"'))}.${signature}`;
      expectUnauthorized(await request(t.url).post(TENANTS).set(bearer(forged)).send({ id: 't1', name: 'T1' }));
      // One character of the payload's base64url changed is refused as well.
      const flipped = `${header}.${payload.slice(0, 10)}${payload[10] === 'A' ? 'B' : 'A'}${payload.slice(11)}.${signature}`;
      expectUnauthorized(await listTenants(t, `Bearer ${flipped}`));
    });

    // 6. Claims.

    it('should answer 401 when the org claim is missing', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ org: undefined }))}`));
    });

    it('should answer 401 when sub is missing or org is not a string', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ sub: undefined }))}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ org: { id: 'acme' } }))}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ tenants: 't1' }))}`));
    });

    it('should accept organization_id in place of org', async () => {
      const res = await listTenants(t, `Bearer ${await signHs(claims({ org: undefined, organization_id: 'acme' }))}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    });

    it("should treat roles: ['admin'] as an admin (201 on the admin-only POST)", async () => {
      const token = await signHs(claims({ role: undefined, roles: ['admin'] }));
      const res = await request(t.url).post(TENANTS).set(bearer(token)).send({ id: 't1', name: 'T1' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ success: true, data: { id: 't1', name: 'T1' } });
    });

    it("should answer 403 FORBIDDEN when role: 'member' calls the admin-only POST", async () => {
      const token = await signHs(claims({ role: 'member' }));
      const res = await request(t.url).post(TENANTS).set(bearer(token)).send({ id: 't1', name: 'T1' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        success: false,
        code: 'FORBIDDEN',
        error: 'This operation needs the admin role',
        request_id: res.headers['x-request-id'],
      });
      // Anything that does not say admin is a member.
      const odd = await signHs(claims({ role: undefined, roles: ['Admin', 'superuser'] }));
      expect((await request(t.url).post(TENANTS).set(bearer(odd)).send({ id: 't1', name: 'T1' })).status).toBe(403);
    });

    // 8. Key-reference headers (HS256 mode).

    it('should answer 401 when a validly HS256-signed token merely carries a jku, x5u or x5c header', async () => {
      expect((await listTenants(t, `Bearer ${await signHs(claims())}`)).status).toBe(200);
      for (const header of [{ jku: `${attacker.url}/jwks.json` }, { x5u: `${attacker.url}/cert.pem` }, { x5c: ['MIIBszCCAVmgAwIBAgIUQ'] }]) {
        expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims(), header)}`));
      }
      expect(attacker.hits).toEqual([]);
    });

    it('should answer 401 to RS256/ES256 tokens signed by an attacker key that jku, x5u or an embedded jwk points at', async () => {
      for (const key of [attackerRsa, attackerEc]) {
        const headers: Array<Partial<JWTHeaderParameters>> = [
          { jku: `${attacker.url}/jwks.json` },
          { x5u: `${attacker.url}/cert.pem` },
          { jwk: embeddedJwk(key) },
        ];
        for (const header of headers) expectUnauthorized(await listTenants(t, `Bearer ${await signWith(key, claims(), header)}`));
      }
      expect(attacker.hits).toEqual([]);
    });

    // 10. Every registered route is guarded.

    it('should answer 401 UNAUTHORIZED on every non-public route registered with Nest when no (or a bad) token is sent', async () => {
      const routes = enumerateRoutes(t);
      const names = routes.map((r) => `${r.method} ${r.path}`);
      // Not vacuous: the enumeration sees the tenants and workspaces controllers.
      expect(names).toEqual(
        expect.arrayContaining([
          'GET /api/v1/tenants',
          'POST /api/v1/tenants',
          'GET /api/v1/tenants/:tenantId',
          'PATCH /api/v1/tenants/:tenantId',
          'DELETE /api/v1/tenants/:tenantId',
          'GET /api/v1/workspaces',
          'POST /api/v1/workspaces',
          'GET /api/v1/workspaces/:workspaceId',
          'PATCH /api/v1/workspaces/:workspaceId',
          'DELETE /api/v1/workspaces/:workspaceId',
          'POST /api/v1/workspaces/:workspaceId/project-secret',
          'GET /health/live',
        ]),
      );

      const badToken = await sign(claims(), secretKey('another-Zq8vX2mN5pR7sT9wY3zA6cE1gH4kL0oQ-jwt'));
      const failures: string[] = [];
      for (const route of routes.filter((r) => !isPublic(r.path))) {
        const path = route.path.replace(/:[^/]+/g, 'x');
        for (const authorization of [undefined, `Bearer ${badToken}`]) {
          let req = request(t.url)[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'head'](path);
          if (authorization) req = req.set('Authorization', authorization);
          const res = await req;
          // Routes with credentials of their own refuse with their own 401 code; all others need a caller JWT.
          const ownCredentials = OWN_CREDENTIAL_ROUTES.find(([prefix]) => path.startsWith(prefix));
          const ok = ownCredentials
            ? res.status >= 400 && res.status < 500 && ownCredentials[1].includes(res.body?.code ?? /data-code="([A-Z_]+)"/.exec(res.text)?.[1])
            : res.status === 401 && res.body?.code === 'UNAUTHORIZED' && res.body?.error === 'Missing or invalid caller token';
          const sent = authorization ? 'bad token' : 'no token';
          if (!ok) failures.push(`${route.method} ${path} (${sent}) -> ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect(failures).toEqual([]);
      // The public ones really are public.
      for (const route of routes.filter((r) => isPublic(r.path) && r.method === 'GET')) {
        expect((await request(t.url).get(route.path)).status).not.toBe(401);
      }
    });
  });

  // 7. Issuer and audience.
  describe('with JWT_ISSUER and JWT_AUDIENCE', () => {
    const ISSUER = 'https://idp.example.com/';
    const AUDIENCE = 'tessera';
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
    });
    afterAll(() => t.close());

    it('should accept the right iss and aud (aud as a string or in a list)', async () => {
      const res = await listTenants(t, `Bearer ${await signHs(claims({ iss: ISSUER, aud: AUDIENCE }))}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
      expect((await listTenants(t, `Bearer ${await signHs(claims({ iss: ISSUER, aud: ['other', AUDIENCE] }))}`)).status).toBe(200);
    });

    it('should answer 401 when iss is wrong', async () => {
      for (const iss of ['https://evil.example.com/', 'https://idp.example.com', 'https://idp.example.com/x']) {
        expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iss, aud: AUDIENCE }))}`));
      }
    });

    it('should answer 401 when iss is missing', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ aud: AUDIENCE }))}`));
    });

    it('should answer 401 when aud is wrong or missing', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iss: ISSUER, aud: 'tessera-staging' }))}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iss: ISSUER, aud: ['other'] }))}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signHs(claims({ iss: ISSUER }))}`));
    });
  });

  // 9. JWKS mode.
  describe('JWKS mode (RS256/ES256 from a remote key set)', () => {
    const COOLDOWN_MS = 1_000;
    let es1: SigningKey;
    let rs1: SigningKey;
    let es2: SigningKey;
    let rsNoAlg: SigningKey; // published without `alg`, as some IdPs do: only the allow-list limits it
    // A symmetric key an IdP should never publish: it must stay unusable (HS256 is not on the JWKS allow-list).
    const octSecret = randomBytes(32);
    const oct: JWK = { kty: 'oct', k: base64url.encode(octSecret), kid: 'oct-1' };
    let served: JWK[];
    let jwks: CountingServer;
    let t: TestApp;
    const jwksHits = (): number => jwks.hits.filter((path) => path === '/jwks.json').length;

    beforeAll(async () => {
      [es1, rs1, es2, rsNoAlg] = await Promise.all([
        signingKey('es-1', 'ES256'),
        signingKey('rs-1', 'RS256'),
        signingKey('es-2', 'ES256'),
        signingKey('rs-noalg', 'RS256'),
      ]);
      const { alg: _omitted, ...noAlgJwk } = rsNoAlg.jwk;
      served = [es1.jwk, rs1.jwk, noAlgJwk, oct];
      jwks = await startCountingServer(() => ({ keys: served }));
      t = await startTestApp({ JWT_JWKS_URI: `${jwks.url}/jwks.json`, JWT_JWKS_COOLDOWN_MS: String(COOLDOWN_MS) });
    });
    afterAll(async () => {
      await t.close();
      await jwks.close();
    });

    it('should accept ES256 and RS256 tokens whose kid is in the JWKS', async () => {
      for (const key of [es1, rs1]) {
        const res = await listTenants(t, `Bearer ${await signWith(key)}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(EMPTY_LIST);
      }
      expect(jwksHits()).toBe(1);
    });

    it('should answer 401 to an HS256 token signed with JWT_SECRET, the RSA public key (PEM, n, JWK) or a published oct key', async () => {
      const pem = await exportSPKI(rs1.publicKey);
      const n = Buffer.from(rs1.jwk.n as string, 'base64url');
      for (const secret of [Buffer.from(TEST_SECRETS.JWT_SECRET, 'utf8'), Buffer.from(pem, 'utf8'), n, Buffer.from(JSON.stringify(rs1.jwk))]) {
        const token = await sign(claims(), createSecretKey(secret), { alg: 'HS256', typ: 'JWT', kid: rs1.kid });
        expectUnauthorized(await listTenants(t, `Bearer ${token}`));
      }
      // Nor with a symmetric key that the JWKS (wrongly) publishes, named by its kid.
      const withOct = await sign(claims(), createSecretKey(octSecret), { alg: 'HS256', typ: 'JWT', kid: oct.kid });
      expectUnauthorized(await listTenants(t, `Bearer ${withOct}`));
    });

    it('should answer 401 to a token signed by an unknown key with a known kid, without exp, or with an alg outside the allow-list', async () => {
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerEc, claims(), { kid: es1.kid })}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerRsa, claims(), { kid: rs1.kid })}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(rs1, claims(), { alg: 'RS384' })}`));
      // A key published without alg: RS256 is accepted, other RSA algorithms are outside the allow-list.
      expect((await listTenants(t, `Bearer ${await signWith(rsNoAlg)}`)).status).toBe(200);
      for (const alg of ['RS384', 'RS512', 'PS256']) {
        expectUnauthorized(await listTenants(t, `Bearer ${await signWith(rsNoAlg, claims(), { alg })}`));
      }
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(es1, claims({ exp: undefined }))}`));
    });

    it('should answer 401 when a token carries jku, x5u or an embedded jwk, and never contact what they point at', async () => {
      // Signed by the attacker's keys, which jku / x5u / jwk offer.
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerRsa, claims(), { jku: `${attacker.url}/jwks.json` })}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerEc, claims(), { x5u: `${attacker.url}/cert.pem` })}`));
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(attackerEc, claims(), { jwk: embeddedJwk(attackerEc) })}`));
      // Even a token signed by the real key is refused while it carries a key reference.
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(es1, claims(), { jku: `${attacker.url}/jwks.json` })}`));
      expect(attacker.hits).toEqual([]);
    });

    it('should answer 401 to 20 tokens with an unknown kid and fetch the JWKS at most twice for them (cool-down)', async () => {
      await sleep(COOLDOWN_MS + 200); // out of the cool-down, so the first unknown kid may refetch
      const before = jwksHits();
      for (let i = 0; i < 20; i++) {
        const token = await signWith(attackerEc, claims(), { kid: `unknown-${i}` });
        expectUnauthorized(await listTenants(t, `Bearer ${token}`));
      }
      const fetched = jwksHits() - before;
      expect(fetched).toBeGreaterThanOrEqual(1);
      expect(fetched).toBeLessThanOrEqual(2);
    });

    it('should accept a key added by rotation once the cool-down has passed, and refuse the removed one after the refetch', async () => {
      // Rotation: es-2 is published, rs-1 is withdrawn.
      served = [es1.jwk, es2.jwk];
      await sleep(COOLDOWN_MS + 200);
      const before = jwksHits();
      const res = await listTenants(t, `Bearer ${await signWith(es2)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
      expect(jwksHits() - before).toBe(1);
      // Documented behaviour: the refetch replaced the cached set, so a withdrawn key stops working
      // at once (without such a refetch it would stay usable until the cache ages out, 10 minutes).
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(rs1)}`));
      expect((await listTenants(t, `Bearer ${await signWith(es1)}`)).status).toBe(200);
    });

    it('should answer 401 (not 500) when the JWKS endpoint serves garbage', async () => {
      served = 'not a key set' as unknown as JWK[];
      await sleep(COOLDOWN_MS + 200);
      expectUnauthorized(await listTenants(t, `Bearer ${await signWith(es2, claims(), { kid: 'never-seen' })}`));
      // The last good set is kept.
      expect((await listTenants(t, `Bearer ${await signWith(es2)}`)).status).toBe(200);
    });
  });
});

interface RegisteredRoute {
  method: string;
  path: string;
}

/** Public of the caller JWT, but guarded by credentials of their own (and refused with this code without them). */
const OWN_CREDENTIAL_ROUTES: Array<[prefix: string, codes: string[]]> = [
  ['/api/v1/external/', ['INVALID_CREDENTIALS']],
  // The Tokens API: a secret in the body, or the embed token itself.
  ['/api/v1/tokens', ['INVALID_CREDENTIALS', 'INVALID_TOKEN', 'VALIDATION_ERROR']],
  // The embed page and its refresh: the embed token; assets are static files.
  ['/embedded/', ['INVALID_TOKEN', 'VALIDATION_ERROR', 'NOT_FOUND']],
];

/** Everything under /health/ (and /docs, /docs-json, which are not Nest controllers). */
function isPublic(path: string): boolean {
  return (
    path.startsWith('/health/') ||
    path.startsWith('/.well-known/') ||
    path.startsWith('/examples/') ||
    path === '/embed.js' ||
    path === '/metrics' ||
    path === '/docs' ||
    path === '/docs-json'
  );
}

/** Every route Nest registered, read from controller metadata: module → controller → handler. */
function enumerateRoutes(t: TestApp): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const asList = (value: unknown): string[] => (Array.isArray(value) ? value : [value ?? '/']).map(String);
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const bases = asList(Reflect.getMetadata(PATH_METADATA, controller));
      const seen = new Set<string>();
      for (let proto = controller.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          if (name === 'constructor' || seen.has(name)) continue;
          seen.add(name);
          const handler = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
          if (typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
          const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
          const method = requestMethod === RequestMethod.ALL ? 'GET' : RequestMethod[requestMethod];
          for (const base of bases) {
            for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
              const path = `/${[base, sub].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
              routes.push({ method, path });
            }
          }
        }
      }
    }
  }
  return routes;
}
