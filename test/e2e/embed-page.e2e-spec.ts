import request from 'supertest';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

/** The embed page over HTTP: what it serves, to whom, with which headers. (The browser suite shows it works in a browser.) */
describe('embed page', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let dashboardId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await t.app.get(SigningKeysService).refresh();
    await createWorkspace(t.url, admin, { id: 'ws', name: 'B', provider: 'builtin' });
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-123', name: 'Acme <Customer>', allowed_origins: ['https://app.example.com', 'http://localhost:5173'] }).expect(201);
    dashboardId = (await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-123', workspace_id: 'ws', name: 'Sales <b>Q4</b>', description: 'Revenue' }).expect(201)).body.data.dashboard_id;
  });
  afterAll(() => t.close());

  const iframeToken = async (): Promise<{ token: string; embed_url: string }> =>
    (await request(t.url).post('/api/v1/dashboards/iframe-token').set(admin).send({ tenant_id: 'org-123', workspace_id: 'ws', dashboard_id: dashboardId }).expect(200)).body.data;
  const open = (token: string, workspace = 'ws', dashboard = dashboardId) =>
    request(t.url).get('/embedded/dashboard').query({ 'embedded-token': token, 'workspace-id': workspace, 'dashboard-id': dashboard });

  it('should serve the dashboard with a strict CSP framed by the tenant origins only', async () => {
    const { token } = await iframeToken();
    const res = await open(token).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain('frame-ancestors https://app.example.com http://localhost:5173');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    // Escaped, and no executable inline script.
    expect(res.text).toContain('Sales &lt;b&gt;Q4&lt;/b&gt;');
    expect(res.text).toContain('Acme &lt;Customer&gt;');
    expect(res.text).not.toMatch(/<script>(?!<)/);
    for (const [, attributes] of res.text.matchAll(/<script([^>]*)>/g)) expect(attributes).toMatch(/type="application\/json"|src="\/embedded\/assets\/embed-page\.js"/);
    // The page's own requests never carry the token.
    for (const [, url] of res.text.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).not.toContain(token);
  });

  it("should use 'none' as frame-ancestors when the tenant allows no origin", async () => {
    await request(t.url).patch('/api/v1/tenants/org-123').set(admin).send({ allowed_origins: [] }).expect(200);
    const res = await open((await iframeToken()).token).expect(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('should show an error page with the status and code, never the dashboard', async () => {
    const { token } = await iframeToken();
    const now = Math.floor(Date.now() / 1000);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const expired = await t.app.get(SigningKeysService).sign({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 60 });
    const cases: Array<[string, string, string, string, number, string]> = [
      [expired, 'ws', dashboardId, 'expired', 401, 'TOKEN_EXPIRED'],
      [`${token.slice(0, -4)}AAAA`, 'ws', dashboardId, 'tampered', 401, 'INVALID_TOKEN'],
      [token, 'other-ws', dashboardId, 'wrong workspace', 401, 'INVALID_TOKEN'],
      [token, 'ws', 'dash_other', 'wrong dashboard', 401, 'INVALID_TOKEN'],
      ['', 'ws', dashboardId, 'missing', 401, 'INVALID_TOKEN'],
    ];
    for (const [bad, workspace, dashboard, , status, code] of cases) {
      const res = await open(bad, workspace, dashboard).expect(status);
      expect(res.text).toContain(`data-code="${code}"`);
      expect(res.text).not.toContain('Sales');
      expect(res.text).not.toContain('Revenue');
    }
  });

  it('should refuse a revoked token, a suspended tenant and a deleted dashboard', async () => {
    const first = await iframeToken();
    await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${first.token}`).expect(200);
    expect((await open(first.token).expect(401)).text).toContain('INVALID_TOKEN');

    const second = await iframeToken();
    await request(t.url).patch('/api/v1/tenants/org-123').set(admin).send({ status: 'suspended' }).expect(200);
    expect((await open(second.token).expect(403)).text).toContain('FORBIDDEN');
    await request(t.url).patch('/api/v1/tenants/org-123').set(admin).send({ status: 'active' }).expect(200);
    await open(second.token).expect(200);

    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
    expect((await open(second.token).expect(401)).text).toContain('INVALID_TOKEN');
  });

  it('should refuse project tokens on the embed page', async () => {
    const workspace = await createWorkspace(t.url, admin, { id: 'ws2', name: 'B2', provider: 'builtin' });
    const project = await request(t.url).post('/api/v1/tokens').send({ type: 'project', projectId: 'ws2', projectSecret: workspace.project_secret, orgUserId: 'x' }).expect(200);
    await open(project.body.data.accessToken, 'ws2').expect(401);
  });

  it('should refresh only with a still-valid current token and a token for the same dashboard and tenant', async () => {
    const current = await iframeToken();
    const next = await iframeToken();
    const refresh = (body: Record<string, unknown>) => request(t.url).post('/embedded/dashboard/refresh').send({ workspaceId: 'ws', dashboardId, ...body });
    const ok = await refresh({ current: current.token, next: next.token }).expect(200);
    expect(ok.body).toEqual({ success: true, data: { expiresAt: expect.any(Number) } });
    await refresh({ current: current.token, next: 'garbage' }).expect(401);

    // Another tenant's token for another dashboard cannot be swapped in.
    const other = (await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-9', workspace_id: 'ws', name: 'X' }).expect(201)).body.data;
    const otherToken = (await request(t.url).post('/api/v1/dashboards/iframe-token').set(admin).send({ tenant_id: 'org-9', workspace_id: 'ws', dashboard_id: other.dashboard_id }).expect(200)).body.data.token;
    await refresh({ current: current.token, next: otherToken }).expect(401);

    await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${current.token}`).expect(200);
    expect((await refresh({ current: current.token, next: next.token }).expect(401)).body.code).toBe('INVALID_TOKEN');
  });

  it('should serve its assets, the host helper for any origin, and the example host in development only', async () => {
    const script = await request(t.url).get('/embedded/assets/embed-page.js').expect(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    await request(t.url).get('/embedded/assets/../../package.json').expect(404);
    await request(t.url).get('/embedded/assets/host.js').expect(404);
    const helper = await request(t.url).get('/embed.js').expect(200);
    expect(helper.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(helper.text).toContain('TesseraEmbed');
    await request(t.url).get('/examples/host').expect(200);
    const production = await startTestApp({ NODE_ENV: 'production' });
    try {
      await request(production.url).get('/examples/host').expect(404);
      await request(production.url).get('/embed.js').expect(200);
    } finally {
      await production.close();
    }
  });
});
