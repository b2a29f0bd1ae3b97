import { createHmac } from 'node:crypto';
import request from 'supertest';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('Tokens API (seed 002)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let dashboardId: string;
  let dashboardSecret: string;
  let projectSecret: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await t.app.get(SigningKeysService).refresh();
    ({ project_secret: projectSecret } = await createWorkspace(t.url, admin, { id: 'proj-1', name: 'P', provider: 'builtin' }));
    const dashboard = await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-123', workspace_id: 'proj-1', name: 'Sales' }).expect(201);
    ({ dashboard_id: dashboardId, dashboard_secret: dashboardSecret } = dashboard.body.data);
  });
  afterAll(() => t.close());

  const generate = (body: Record<string, unknown>) => request(t.url).post('/api/v1/tokens').send(body);
  const validate = (token: string) => request(t.url).post('/api/v1/tokens/validate').send({ token });

  it('example 1: should issue a read-only dashboard token binding its policies', async () => {
    const rcls = [{ dataset: 'sales.orders', column: 'region', operator: 'in', values: ['EU', 'US'] }];
    const res = await generate({ dashboardId, dashboardSecret, rcls, cls: { connectionId: 'conn-1', params: { tenant: 'org-123' } }, params: { currency: 'EUR' }, config: { theme: 'dark' } }).expect(200);
    expect(res.body.data).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 1800, expiresAt: expect.stringMatching(/Z$/) });
    const claims = decode(res.body.data.accessToken);
    expect(claims).toMatchObject({
      typ: 'dashboard',
      aud: 'tessera:dashboard',
      org: 'acme',
      projectId: 'proj-1',
      tenantId: 'org-123',
      dashboardId,
      rcls,
      cls: [{ connectionId: 'conn-1', params: { tenant: 'org-123' } }],
      params: { currency: 'EUR' },
      config: { theme: 'dark' },
      allowEdit: false,
    });
    expect((claims.exp as number) - Math.floor(claims.iat as number)).toBe(1800);
    const valid = await validate(res.body.data.accessToken).expect(200);
    expect(valid.body.data).toMatchObject({ valid: true, type: 'dashboard', claims: { jti: claims.jti }, expiresAt: res.body.data.expiresAt });
  });

  it('example 2: should issue a basic project token for an existing end user', async () => {
    await generate({ type: 'project', projectId: 'proj-1', projectSecret, endUserId: 'u-1', tenantId: 'org-123', autoCreateEndUser: true }).expect(200);
    const res = await generate({ type: 'project', projectId: 'proj-1', projectSecret, endUserId: 'u-1', tokenExpiry: 600 }).expect(200);
    expect(res.body.data.expiresIn).toBe(600);
    const claims = decode(res.body.data.accessToken);
    expect(claims).toMatchObject({ typ: 'project', aud: 'tessera:project', projectId: 'proj-1', tenantId: 'org-123', role: 'VIEWER' });
  });

  it('example 3: should create the end user just in time, once, with the requested role', async () => {
    const body = { type: 'project', projectId: 'proj-1', projectSecret, endUserEmail: 'Ann@Example.com', tenantId: 'org-123', autoCreateEndUser: true, role: 'POWER_USER', displayName: 'Ann' };
    const [a, b] = await Promise.all([generate(body), generate(body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await t.dataSource.query('SELECT email, role, tenant_id FROM end_users');
    expect(rows).toEqual([{ email: 'ann@example.com', role: 'POWER_USER', tenant_id: 'org-123' }]);
    expect(decode(a.body.data.accessToken)).toMatchObject({ role: 'POWER_USER', endUserId: decode(b.body.data.accessToken).endUserId });
    // Without autoCreateEndUser an unknown end user is 404.
    expect((await generate({ ...body, endUserEmail: 'nobody@example.com', autoCreateEndUser: false }).expect(404)).body.code).toBe('NOT_FOUND');
  });

  it('example 4: should limit a project token to semantic domains named by id or name', async () => {
    const sales = await request(t.url).post('/api/v1/workspaces/proj-1/semantic-domains').set(admin).send({ name: 'Sales' }).expect(201);
    const finance = await request(t.url).post('/api/v1/workspaces/proj-1/semantic-domains').set(admin).send({ name: 'Finance' }).expect(201);
    const res = await generate({
      type: 'project',
      projectId: 'proj-1',
      projectSecret,
      orgUserId: 'admin-7',
      allowedSemanticDomains: ['Sales', finance.body.data.id],
      initialDashboardId: dashboardId,
      sls: 'tenant_org_123',
    }).expect(200);
    expect(decode(res.body.data.accessToken)).toMatchObject({
      sub: 'org-user:admin-7',
      allowedSemanticDomains: [sales.body.data.id, finance.body.data.id],
      initialDashboardId: dashboardId,
      sls: 'tenant_org_123',
    });
    expect((await generate({ type: 'project', projectId: 'proj-1', projectSecret, orgUserId: 'x', allowedSemanticDomains: ['Nope'] }).expect(422)).body.code).toBe('VALIDATION_ERROR');
    await generate({ type: 'project', projectId: 'proj-1', projectSecret, orgUserId: 'x', initialDashboardId: 'dash_unknown' }).expect(422);
  });

  it('should answer INVALID_CREDENTIALS the same way for a wrong secret and an unknown id', async () => {
    for (const body of [
      { dashboardId, dashboardSecret: `${dashboardSecret}x` },
      { dashboardId: 'dash_00000000000000000000000000000000', dashboardSecret },
      { type: 'project', projectId: 'proj-1', projectSecret: 'ps_wrong', endUserId: 'u' },
      { type: 'project', projectId: 'nope', projectSecret, endUserId: 'u' },
    ]) {
      const res = await generate(body).expect(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', error: 'Invalid credentials' });
    }
  });

  it('should refuse a project secret of one organization for the same workspace id in another', async () => {
    const globex = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    const other = await createWorkspace(t.url, globex, { id: 'proj-1', name: 'Globex P', provider: 'builtin' });
    const res = await generate({ type: 'project', projectId: 'proj-1', projectSecret: other.project_secret, orgUserId: 'g' }).expect(200);
    expect(decode(res.body.data.accessToken)).toMatchObject({ org: 'globex' });
    const mine = await generate({ type: 'project', projectId: 'proj-1', projectSecret, orgUserId: 'a' }).expect(200);
    expect(decode(mine.body.data.accessToken)).toMatchObject({ org: 'acme' });
  });

  it.each([
    [{ tokenExpiry: 59 }, 'tokenExpiry'],
    [{ tokenExpiry: 86_401 }, 'tokenExpiry'],
    [{ tokenExpiry: 'soon' }, 'tokenExpiry'],
    [{ sls: 'public' }, 'sls'],
    [{ autoCreateEndUser: true }, 'autoCreateEndUser'],
    [{ projectId: 'proj-1' }, 'projectId'],
    [{ organization: 'globex' }, 'organization'],
  ])('should refuse %p on a dashboard token with 422 naming the field', async (extra, field) => {
    const res = await generate({ dashboardId, dashboardSecret, ...extra }).expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('should need one actor on a project token', async () => {
    const res = await generate({ type: 'project', projectId: 'proj-1', projectSecret }).expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    await generate({ type: 'project', projectId: 'proj-1', projectSecret, endUserEmail: 'a@b.c', autoCreateEndUser: true }).expect(422);
  });

  it.each([
    [{ rcls: { column: 'region; DROP TABLE x', operator: 'eq', values: ['EU'] } }, 'rcls'],
    [{ rcls: { column: 'region', operator: 'like', values: ['EU'] } }, 'rcls'],
    [{ rcls: Array.from({ length: 51 }, () => ({ column: 'a', operator: 'eq', values: [1] })) }, 'rcls'],
    [{ cls: { params: { 'bad name': 1 } } }, 'cls'],
    [{ params: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, 'params'],
    [{ config: { blob: 'x'.repeat(5000) } }, 'config'],
    [{ rcls: { column: 'a', operator: 'eq', values: ['x'.repeat(256)] }, params: { big: 'y'.repeat(4000) }, config: { big: 'z'.repeat(4000) } }, ''],
  ])('should refuse a bad policy %# with 422 INVALID_SECURITY_POLICY naming the path', async (policy, path) => {
    const res = await generate({ dashboardId, dashboardSecret, ...policy }).expect(422);
    expect(res.body.code).toBe('INVALID_SECURITY_POLICY');
    expect(res.body.details[0].field.startsWith(path)).toBe(true);
  });

  it('should refuse tokens for a suspended tenant', async () => {
    await request(t.url).patch('/api/v1/tenants/org-123').set(admin).send({ status: 'suspended' }).expect(200);
    expect((await generate({ dashboardId, dashboardSecret }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await generate({ type: 'project', projectId: 'proj-1', projectSecret, orgUserId: 'x', tenantId: 'org-123' }).expect(403)).body.code).toBe('FORBIDDEN');
  });

  describe('validation', () => {
    let token: string;
    beforeEach(async () => {
      token = (await generate({ dashboardId, dashboardSecret, rcls: { column: 'region', operator: 'eq', values: ['EU'] } }).expect(200)).body.data.accessToken;
    });

    it('should fail when any byte of the token changes', async () => {
      const [header, payload, signature] = token.split('.');
      const claims = decode(token);
      const tampered = [
        `${b64url({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), kid: 'other' })}.${payload}.${signature}`,
        `${header}.${b64url({ ...claims, rcls: [{ column: 'region', operator: 'eq', values: ['US'] }] })}.${signature}`,
        `${header}.${b64url({ ...claims, tenantId: 'org-999' })}.${signature}`,
        `${header}.${b64url({ ...claims, dashboardId: 'dash_other' })}.${signature}`,
        `${header}.${b64url({ ...claims, exp: (claims.exp as number) + 3600 })}.${signature}`,
        `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
        `${header}.${payload}.`,
        `${header}.${payload}`,
        'garbage',
      ];
      for (const bad of tampered) {
        const res = await validate(bad).expect(401);
        expect(res.body.code).toBe('INVALID_TOKEN');
      }
    });

    it('should refuse alg swaps: none, and HS256 keyed with the public key', async () => {
      const claims = decode(token);
      const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
      expect((await validate(none).expect(401)).body.code).toBe('INVALID_TOKEN');
      const jwks = (await request(t.url).get('/.well-known/jwks.json').expect(200)).body;
      const header = b64url({ alg: 'HS256', typ: 'JWT', kid: jwks.keys[0].kid });
      const signingInput = `${header}.${b64url(claims)}`;
      const hs = `${signingInput}.${createHmac('sha256', JSON.stringify(jwks.keys[0])).update(signingInput).digest('base64url')}`;
      expect((await validate(hs).expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('should answer TOKEN_EXPIRED for a genuine token past exp', async () => {
      const claims = decode(token);
      const now = Math.floor(Date.now() / 1000);
      const expired = await t.app.get(SigningKeysService).sign({ ...claims, iat: now - 4000, nbf: now - 4000, exp: now - 600 });
      expect((await validate(expired).expect(401)).body.code).toBe('TOKEN_EXPIRED');
    });

    it('should accept the token as Bearer too, and refuse a missing one', async () => {
      await request(t.url).post('/api/v1/tokens/validate').set('Authorization', `Bearer ${token}`).send({}).expect(200);
      expect((await request(t.url).post('/api/v1/tokens/validate').send({}).expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('should invalidate idempotently, and the token then fails validation', async () => {
      const first = await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
      expect(first.body.data).toMatchObject({ revoked: true });
      await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
      expect((await validate(token).expect(401)).body.code).toBe('INVALID_TOKEN');
      expect((await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', 'Bearer nope').expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('should revoke every token of a tenant (admin), while new ones work', async () => {
      const member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['org-123'] }));
      await request(t.url).post('/api/v1/tenants/org-123/tokens/revoke').set(member).expect(403);
      await request(t.url).post('/api/v1/tenants/org-123/tokens/revoke').set(bearer(await callerToken({ org: 'globex' }))).expect(404);
      const res = await request(t.url).post('/api/v1/tenants/org-123/tokens/revoke').set(admin).expect(200);
      expect(res.body.data).toEqual({ tenant_id: 'org-123', revoked_before: expect.any(String) });
      await validate(token).expect(401);
      const fresh = (await generate({ dashboardId, dashboardSecret }).expect(200)).body.data.accessToken;
      await validate(fresh).expect(200);
    });

    it('should revoke the tokens of a deleted dashboard', async () => {
      await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
      expect((await validate(token).expect(401)).body.code).toBe('INVALID_TOKEN');
    });

    it('should audit issuance, failed validation and revocation without storing the token', async () => {
      await validate('garbage').expect(401);
      await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
      const events = await request(t.url).get('/api/v1/audit-events').set(admin).expect(200);
      const actions = events.body.data.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['token.issued', 'token.revoked']));
      expect(JSON.stringify(events.body)).not.toContain(token);
      expect(JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'))).not.toContain(token.split('.')[2]);
    });
  });
});
