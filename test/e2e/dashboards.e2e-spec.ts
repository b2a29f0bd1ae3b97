import request from 'supertest';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('dashboards (built-in provider)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let member: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'alice' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['org-123'], sub: 'bob' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await createWorkspace(t.url, admin, { id: 'workspace-456', name: 'Built in', provider: 'builtin' });
  });
  afterAll(() => t.close());

  const seedBody = { tenant_id: 'org-123', workspace_id: 'workspace-456', name: 'Sales Dashboard', description: 'Q4 Sales Analytics' };
  const create = (headers: Record<string, string>, body: Record<string, unknown> = seedBody) =>
    request(t.url).post('/api/v1/dashboards').set(headers).send(body);
  const count = async (table: string): Promise<number> => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('should run the seed-001 flow: create, get, list, second create 409, delete, get 404', async () => {
    const created = await create(admin).expect(201);
    expect(created.body).toEqual({
      success: true,
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        tenant_id: 'org-123',
        workspace_id: 'workspace-456',
        dashboard_id: expect.stringMatching(/^dash_[0-9a-f]{32}$/),
        name: 'Sales Dashboard',
        description: 'Q4 Sales Analytics',
        created_by: 'alice',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        dashboard_secret: expect.stringMatching(/^ds_[A-Za-z0-9_-]{43}$/),
      },
    });
    const { dashboard_secret: secret, ...dashboard } = created.body.data;

    const got = await request(t.url).get('/api/v1/dashboards/org-123').set(admin).expect(200);
    expect(got.body).toEqual({ success: true, data: dashboard });
    const list = await request(t.url).get('/api/v1/dashboards').set(admin).expect(200);
    expect(list.body).toEqual({ success: true, data: [dashboard], total: 1 });
    expect(JSON.stringify([got.body, list.body])).not.toContain(secret);

    const again = await create(admin, { ...seedBody, name: 'Other' }).expect(409);
    expect(again.body.code).toBe('CONFLICT');
    expect(await count('builtin_dashboards')).toBe(1);

    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
    await request(t.url).get('/api/v1/dashboards/org-123').set(admin).expect(404);
    expect(await count('builtin_dashboards')).toBe(0);
    expect(await count('dashboards')).toBe(0);
    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(404);
  });

  it('should create the tenant implicitly, named after its id', async () => {
    await create(admin).expect(201);
    const tenant = await request(t.url).get('/api/v1/tenants/org-123').set(admin).expect(200);
    expect(tenant.body.data).toMatchObject({ id: 'org-123', name: 'org-123', status: 'active' });
  });

  it('should refuse a suspended tenant with 403 and create nothing', async () => {
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-123', name: 'S', status: 'suspended' }).expect(201);
    expect((await create(admin).expect(403)).body.code).toBe('FORBIDDEN');
    expect(await count('dashboards')).toBe(0);
    expect(await count('builtin_dashboards')).toBe(0);
  });

  it('should answer 404 for a workspace of another organization or none, leaving nothing behind', async () => {
    await createWorkspace(t.url, otherAdmin, { id: 'globex-ws', name: 'G', provider: 'builtin' });
    for (const workspace_id of ['globex-ws', 'nope']) {
      const res = await create(admin, { ...seedBody, workspace_id }).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', error: 'Workspace not found' });
    }
    expect(await count('dashboards')).toBe(0);
    expect(await count('tenants')).toBe(0);
  });

  it('should refuse fields the server owns and write nothing', async () => {
    for (const extra of [{ dashboard_id: 'mine' }, { created_by: 'eve' }, { organization_id: 'globex' }, { id: 'x' }, { dashboard_secret: 'ds_x' }]) {
      expect((await create(admin, { ...seedBody, ...extra }).expect(422)).body.code).toBe('VALIDATION_ERROR');
    }
    await create(admin, { tenant_id: 'org-123', workspace_id: 'workspace-456' }).expect(422);
    expect(await count('dashboards')).toBe(0);
    expect(await count('tenants')).toBe(0);
  });

  it('should apply has_access: members act on their tenants only', async () => {
    await create(member).expect(201);
    const denied = await create(member, { ...seedBody, tenant_id: 'org-999' }).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    await create(admin, { ...seedBody, tenant_id: 'org-999' }).expect(201);
    await request(t.url).get('/api/v1/dashboards/org-123').set(member).expect(200);
    await request(t.url).get('/api/v1/dashboards/org-999').set(member).expect(403);
    await request(t.url).delete('/api/v1/dashboards/org-999').set(member).expect(403);
    const list = await request(t.url).get('/api/v1/dashboards').set(member).expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.data[0].tenant_id).toBe('org-123');
    expect((await request(t.url).get('/api/v1/dashboards').set(admin).expect(200)).body.total).toBe(2);
    // Rotating a secret is for admins.
    await request(t.url).post('/api/v1/dashboards/org-123/dashboard-secret').set(member).expect(403);
  });

  it("should answer another organization's dashboard as if it did not exist", async () => {
    await create(admin).expect(201);
    for (const call of [
      request(t.url).get('/api/v1/dashboards/org-123').set(otherAdmin),
      request(t.url).delete('/api/v1/dashboards/org-123').set(otherAdmin),
      request(t.url).post('/api/v1/dashboards/org-123/dashboard-secret').set(otherAdmin),
    ]) {
      expect((await call.expect(404)).body.code).toBe('NOT_FOUND');
    }
    expect((await request(t.url).get('/api/v1/dashboards').set(otherAdmin).expect(200)).body.total).toBe(0);
    await request(t.url).get('/api/v1/dashboards/org-123').set(admin).expect(200);
  });

  it('should page the list with skip and limit ≤ 100', async () => {
    for (const tenant of ['a', 'b', 'c']) await create(admin, { ...seedBody, tenant_id: tenant }).expect(201);
    const page = await request(t.url).get('/api/v1/dashboards?skip=1&limit=1').set(admin).expect(200);
    expect(page.body.total).toBe(3);
    expect(page.body.data.map((d: { tenant_id: string }) => d.tenant_id)).toEqual(['b']);
    await request(t.url).get('/api/v1/dashboards?limit=101').set(admin).expect(422);
  });

  it('should rotate the dashboard secret', async () => {
    const created = await create(admin).expect(201);
    const [before] = await t.dataSource.query('SELECT secret_hash FROM dashboards');
    const rotated = await request(t.url).post('/api/v1/dashboards/org-123/dashboard-secret').set(admin).expect(200);
    expect(rotated.body.data.dashboard_secret).toMatch(/^ds_/);
    expect(rotated.body.data.dashboard_secret).not.toBe(created.body.data.dashboard_secret);
    const [after] = await t.dataSource.query('SELECT secret_hash FROM dashboards');
    expect(after.secret_hash).not.toBe(before.secret_hash);
    expect(JSON.stringify(after)).not.toContain(rotated.body.data.dashboard_secret);
    await request(t.url).post('/api/v1/dashboards/nope/dashboard-secret').set(admin).expect(404);
  });

  it('should keep a tenant or workspace that still has a dashboard (409), never orphaning it', async () => {
    await create(admin).expect(201);
    expect((await request(t.url).delete('/api/v1/tenants/org-123').set(admin).expect(409)).body.code).toBe('CONFLICT');
    expect((await request(t.url).delete('/api/v1/workspaces/workspace-456').set(admin).expect(409)).body.code).toBe('CONFLICT');
    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
    await request(t.url).delete('/api/v1/tenants/org-123').set(admin).expect(204);
    await request(t.url).delete('/api/v1/workspaces/workspace-456').set(admin).expect(204);
  });

  it('should create exactly one dashboard under 20 concurrent creates for one tenant', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => create(admin, { ...seedBody, name: `D${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await count('dashboards')).toBe(1);
    expect(await count('builtin_dashboards')).toBe(1);
    expect(await count('tenants')).toBe(1);
  });

  it('should take over a reservation left behind by a crash', async () => {
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-123', name: 'T' }).expect(201);
    await t.dataSource.query(
      `INSERT INTO dashboards (organization_id, tenant_id, workspace_id, name, status, created_by, created_at)
       VALUES ('acme', 'org-123', 'workspace-456', 'stale', 'pending', 'x', now() - interval '10 minutes')`,
    );
    await create(admin).expect(201);
    expect(await count('dashboards')).toBe(1);
  });

  it('should respect a fresh reservation: a create may be in flight', async () => {
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-7', name: 'T' }).expect(201);
    await t.dataSource.query(
      `INSERT INTO dashboards (organization_id, tenant_id, workspace_id, name, status, created_by) VALUES ('acme', 'org-7', 'workspace-456', 'busy', 'pending', 'x')`,
    );
    await create(admin, { ...seedBody, tenant_id: 'org-7' }).expect(409);
    // Pending reservations are not dashboards yet.
    await request(t.url).get('/api/v1/dashboards/org-7').set(admin).expect(404);
    expect((await request(t.url).get('/api/v1/dashboards').set(admin).expect(200)).body.total).toBe(0);
  });
});
