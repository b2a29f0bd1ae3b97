import { createHmac } from 'node:crypto';
import request from 'supertest';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { FakeProvider, json } from '../support/fake-provider';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('iframe tokens (seed 001)', () => {
  let t: TestApp;
  let fake: FakeProvider;
  let admin: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeProvider.start();
    t = await startTestApp({ PUBLIC_URL: 'https://tessera.example.com' });
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await t.app.get(SigningKeysService).refresh();
    await createWorkspace(t.url, admin, { id: 'ws-b', name: 'B', provider: 'builtin' });
    await createWorkspace(t.url, admin, { id: 'ws-p', name: 'P', provider: 'papermap', api_url: fake.url, api_key_id: 'ak_pm', secret_key: 'sk_pm_secret', embed_url: 'https://embed.example.com/dashboard' });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const dashboard = async (tenant: string, workspace: string): Promise<string> => {
    fake.reset((_req, res) => json(res, 201, { data: { data: { dashboard_id: `pm-${tenant}` } } }));
    const res = await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: tenant, workspace_id: workspace, name: 'D' }).expect(201);
    return res.body.data.dashboard_id;
  };
  const iframe = (headers: Record<string, string>, body: Record<string, unknown>) => request(t.url).post('/api/v1/dashboards/iframe-token').set(headers).send(body);

  it('should give a builtin workspace a Tessera dashboard token and the embed page URL', async () => {
    const dashboardId = await dashboard('org-123', 'ws-b');
    const before = Math.floor(Date.now() / 1000);
    const res = await iframe(admin, { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: dashboardId }).expect(200);
    const { token, expires_at, embed_url } = res.body.data;
    expect(res.body.data.dashboard_id).toBe(dashboardId);
    expect(expires_at - before).toBeGreaterThanOrEqual(3599);
    expect(expires_at - before).toBeLessThanOrEqual(3601);
    const url = new URL(embed_url);
    expect(`${url.origin}${url.pathname}`).toBe('https://tessera.example.com/embedded/dashboard');
    expect(Object.fromEntries(url.searchParams)).toEqual({ 'embedded-token': token, 'workspace-id': 'ws-b', 'dashboard-id': dashboardId });
    const valid = await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    expect(valid.body.data.claims).toMatchObject({ typ: 'dashboard', tenantId: 'org-123', dashboardId, projectId: 'ws-b' });
  });

  it('should give a papermap workspace the Papermap format, signed over workspace_id + valid_until', async () => {
    const dashboardId = await dashboard('org-123', 'ws-p');
    const validUntil = Math.floor(Date.now() / 1000) + 600;
    const res = await iframe(admin, { tenant_id: 'org-123', workspace_id: 'ws-p', dashboard_id: dashboardId, valid_until: validUntil }).expect(200);
    const decoded = JSON.parse(Buffer.from(res.body.data.token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString());
    expect(decoded).toEqual({
      api_key_id: 'ak_pm',
      workspace_id: 'ws-p',
      tenant_id: 'org-123',
      dashboard_id: dashboardId,
      valid_until: validUntil,
      signature: createHmac('sha256', 'sk_pm_secret').update(`ws-p${validUntil}`).digest('hex'),
    });
    expect(res.body.data.expires_at).toBe(validUntil);
    expect(res.body.data.embed_url.startsWith('https://embed.example.com/dashboard?embedded-token=')).toBe(true);
    // The built-in provider never accepts that format.
    expect((await request(t.url).post('/api/v1/tokens/validate').send({ token: res.body.data.token }).expect(401)).body.code).toBe('INVALID_TOKEN');
  });

  it("should answer 404 for another tenant's dashboard (IDOR), another workspace, or an unknown id", async () => {
    const mine = await dashboard('org-123', 'ws-b');
    const theirs = await dashboard('org-999', 'ws-b');
    const member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['org-123'] }));
    for (const body of [
      { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: theirs },
      { tenant_id: 'org-123', workspace_id: 'ws-p', dashboard_id: mine },
      { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: 'dash_nope' },
    ]) {
      expect((await iframe(member, body).expect(404)).body.code).toBe('NOT_FOUND');
    }
    expect((await iframe(member, { tenant_id: 'org-999', workspace_id: 'ws-b', dashboard_id: theirs }).expect(403)).body.code).toBe('FORBIDDEN');
    const otherOrg = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    await iframe(otherOrg, { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: mine }).expect(404);
  });

  it('should refuse valid_until in the past or beyond 24 h, and a suspended tenant', async () => {
    const dashboardId = await dashboard('org-123', 'ws-b');
    const now = Math.floor(Date.now() / 1000);
    for (const valid_until of [now - 1, now + 86_400 + 120]) {
      const res = await iframe(admin, { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: dashboardId, valid_until }).expect(422);
      expect(res.body.details[0].field).toBe('valid_until');
    }
    await request(t.url).patch('/api/v1/tenants/org-123').set(admin).send({ status: 'suspended' }).expect(200);
    expect((await iframe(admin, { tenant_id: 'org-123', workspace_id: 'ws-b', dashboard_id: dashboardId }).expect(403)).body.code).toBe('FORBIDDEN');
  });
});
