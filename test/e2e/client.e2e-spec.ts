import { createTesseraClient, Schemas, TesseraApiError, TesseraClient } from '../../clients/typescript/src/client';
import { callerToken } from '../support/caller-tokens';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

/**
 * The main flows through the generated client (clients/typescript), against the real server:
 * the client's types come from the committed openapi.json, so a contract drift fails here, at
 * compile time (ts-jest type-checks this file) or at run time.
 */
describe('the generated TypeScript client', () => {
  let t: TestApp;
  let admin: TesseraClient;
  /** No credentials: the Tokens API authenticates by the secret in the body, or the token itself. */
  let anonymous: TesseraClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = createTesseraClient({ baseUrl: t.url, token: await callerToken({ org: 'acme', role: 'admin' }) });
    anonymous = createTesseraClient({ baseUrl: t.url });
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  /** Tenant, builtin workspace and the tenant's dashboard, as an integrator sets them up. */
  async function setUp(): Promise<{ tenant: Schemas['TenantDto']; dashboard: Schemas['CreatedDashboardDto'] }> {
    const tenant = await admin.post('/api/v1/tenants', {
      body: { id: 'org-123', name: 'Customer 123', allowed_origins: ['https://app.customer.com'] },
    });
    const workspace = await admin.post('/api/v1/workspaces', { body: { id: 'workspace-456', name: 'Analytics', provider: 'builtin' } });
    expect(workspace.project_secret).toMatch(/^ps_/);
    const dashboard = await admin.post('/api/v1/dashboards', { body: { tenant_id: tenant.id, workspace_id: workspace.id, name: 'Sales overview' } });
    return { tenant, dashboard };
  }

  it('should create a tenant, a workspace and a dashboard, unwrapping the envelope', async () => {
    const { tenant, dashboard } = await setUp();
    expect(tenant).toMatchObject({ id: 'org-123', name: 'Customer 123', status: 'active', allowed_origins: ['https://app.customer.com'] });
    expect(dashboard).toMatchObject({ tenant_id: 'org-123', workspace_id: 'workspace-456', name: 'Sales overview', created_by: 'user-1' });
    expect(dashboard.dashboard_id).toMatch(/^dash_/);
    expect(dashboard.dashboard_secret).toMatch(/^ds_/);

    const fetched = await admin.get('/api/v1/dashboards/{tenantId}', { params: { path: { tenantId: 'org-123' } } });
    expect(fetched.dashboard_id).toBe(dashboard.dashboard_id);
    expect(fetched).not.toHaveProperty('dashboard_secret');
  });

  it('should return lists as items and total', async () => {
    await setUp();
    await admin.post('/api/v1/tenants', { body: { id: 'org-456', name: 'Customer 456' } });
    const page = await admin.get('/api/v1/tenants', { params: { query: { limit: 1 } } });
    expect(page.total).toBe(2);
    expect(page.items.map((tenant) => tenant.id)).toEqual(['org-123']);
  });

  it('should carry a dashboard token through generate, validate, invalidate, and refuse it afterwards', async () => {
    const { dashboard } = await setUp();

    const iframe = await admin.post('/api/v1/dashboards/iframe-token', {
      body: { tenant_id: 'org-123', workspace_id: 'workspace-456', dashboard_id: dashboard.dashboard_id },
    });
    expect(iframe.embed_url).toContain(`dashboard-id=${dashboard.dashboard_id}`);
    expect(await anonymous.post('/api/v1/tokens/validate', { body: { token: iframe.token } })).toMatchObject({ valid: true, type: 'dashboard' });

    const issued = await anonymous.post('/api/v1/tokens', {
      body: {
        dashboardId: dashboard.dashboard_id,
        dashboardSecret: dashboard.dashboard_secret,
        tenantId: 'org-123',
        endUserId: 'user-42',
        rcls: [{ column: 'region', operator: 'in', values: ['eu', 'us'] }],
      },
    });
    expect(issued).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });

    const validation = await anonymous.post('/api/v1/tokens/validate', { body: { token: issued.accessToken } });
    expect(validation).toMatchObject({ valid: true, type: 'dashboard', expiresAt: issued.expiresAt });
    expect(validation.claims).toMatchObject({ dashboardId: dashboard.dashboard_id, rcls: [{ column: 'region', operator: 'in', values: ['eu', 'us'] }] });

    const invalidation = await anonymous.withToken(issued.accessToken).post('/api/v1/tokens/invalidate');
    expect(invalidation.revoked).toBe(true);

    const refused = await anonymous.post('/api/v1/tokens/validate', { body: { token: issued.accessToken } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TesseraApiError);
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_TOKEN', requestId: expect.any(String) });
  });

  it('should throw a typed error carrying the code and per-field details when the request is invalid', async () => {
    const error = await admin.post('/api/v1/tenants', { body: { id: '-not-an-id', name: '' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TesseraApiError);
    const apiError = error as TesseraApiError;
    expect(apiError).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', message: 'Request validation failed' });
    expect(apiError.details.map((detail) => detail.field).sort()).toEqual(['id', 'name']);
    expect(apiError.requestId).toEqual(expect.any(String));
  });

  it('should type the error codes and resolve a 204 to nothing', async () => {
    await setUp();
    const conflict = await admin.post('/api/v1/tenants', { body: { id: 'org-123', name: 'Again' } }).catch((caught: TesseraApiError) => caught);
    // `code` is the union of the document's ErrorCode enum: a misspelt code does not compile.
    const code: Schemas['ErrorCode'] = (conflict as TesseraApiError).code;
    expect(code).toBe('CONFLICT');

    await expect(admin.delete('/api/v1/dashboards/{tenantId}', { params: { path: { tenantId: 'org-123' } } })).resolves.toBeUndefined();
    await expect(admin.get('/api/v1/dashboards/{tenantId}', { params: { path: { tenantId: 'org-123' } } })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('should refuse, at compile time, calls the contract does not allow', async () => {
    // Nothing is sent: these lines exist for the type checker (ts-jest fails the suite if an
    // expected error disappears, i.e. if the generated types stopped describing the API).
    const neverCalled = (): unknown[] => [
      // @ts-expect-error: no such route
      admin.get('/api/v1/no-such-route'),
      // @ts-expect-error: `name` is required to create a tenant
      admin.post('/api/v1/tenants', { body: { id: 'org-1' } }),
      // @ts-expect-error: the provider is `builtin` or `papermap`
      admin.post('/api/v1/workspaces', { body: { id: 'w', name: 'W', provider: 'tableau' } }),
    ];
    expect(typeof neverCalled).toBe('function');
  });
});
