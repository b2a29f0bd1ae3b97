import request from 'supertest';
import { TenantsService } from '../../src/tenants/tenants.service';
import { TenantSuspendedError } from '../../src/tenants/tenants.errors';
import { bearer, callerToken } from '../support/caller-tokens';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('tenants', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let member: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['t-1', 't-3'] }));
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  const createTenant = (headers: Record<string, string>, body: Record<string, unknown>) =>
    request(t.url).post('/api/v1/tenants').set(headers).send(body);

  it('should create a tenant with defaults and answer in snake_case with ISO-8601 UTC times', async () => {
    const res = await createTenant(admin, { id: 'org-123', name: 'Org 123' }).expect(201);
    expect(res.body).toEqual({
      success: true,
      data: {
        id: 'org-123',
        name: 'Org 123',
        status: 'active',
        allowed_origins: [],
        metadata: {},
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: expect.stringMatching(/Z$/),
      },
    });
  });

  it('should answer 409 CONFLICT for a duplicate id in the same organization only', async () => {
    await createTenant(admin, { id: 'org-1', name: 'A' }).expect(201);
    const dup = await createTenant(admin, { id: 'org-1', name: 'B' }).expect(409);
    expect(dup.body.code).toBe('CONFLICT');
    // Another organization may use the same id for its own customer.
    await createTenant(otherAdmin, { id: 'org-1', name: 'Globex customer' }).expect(201);
    const mine = await request(t.url).get('/api/v1/tenants/org-1').set(admin).expect(200);
    expect(mine.body.data.name).toBe('A');
  });

  it('should refuse fields the server owns and write nothing', async () => {
    for (const extra of [{ organization_id: 'globex' }, { created_by: 'x' }, { created_at: '2020-01-01T00:00:00Z' }, { org: 'globex' }]) {
      const res = await createTenant(admin, { id: 'org-9', name: 'N', ...extra }).expect(422);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    const list = await request(t.url).get('/api/v1/tenants').set(admin).expect(200);
    expect(list.body.total).toBe(0);
  });

  it.each([
    [{ id: '', name: 'x' }, 'id'],
    [{ id: 'has space', name: 'x' }, 'id'],
    [{ id: "x'; DROP TABLE tenants; --", name: 'x' }, 'id'],
    [{ id: 'ok', name: '' }, 'name'],
    [{ id: 'ok', name: 'x', status: 'deleted' }, 'status'],
    [{ id: 'ok', name: 'x', allowed_origins: ['https://a.example.com/path'] }, 'allowed_origins'],
    [{ id: 'ok', name: 'x', allowed_origins: ['javascript:alert(1)'] }, 'allowed_origins'],
    [{ id: 'ok', name: 'x', allowed_origins: 'https://a.example.com' }, 'allowed_origins'],
    [{ id: 'ok', name: 'x', metadata: [1, 2] }, 'metadata'],
    [{ id: 'ok', name: 'x', metadata: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, 'metadata'],
    [{ id: 'ok', name: 'x', metadata: { blob: 'x'.repeat(5_000) } }, 'metadata'],
  ])('should refuse an invalid body %# naming the field', async (body, field) => {
    const res = await createTenant(admin, body).expect(422);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('should page with skip and limit and count the total', async () => {
    for (let i = 1; i <= 5; i += 1) await createTenant(admin, { id: `t-${i}`, name: `T${i}` }).expect(201);
    const page = await request(t.url).get('/api/v1/tenants?skip=1&limit=2').set(admin).expect(200);
    expect(page.body.total).toBe(5);
    expect(page.body.data.map((x: { id: string }) => x.id)).toEqual(['t-2', 't-3']);
    await request(t.url).get('/api/v1/tenants?limit=101').set(admin).expect(422);
    await request(t.url).get('/api/v1/tenants?skip=-1').set(admin).expect(422);
    await request(t.url).get('/api/v1/tenants?limit=abc').set(admin).expect(422);
  });

  it('should show members only the tenants in their claim, and count only those', async () => {
    for (let i = 1; i <= 4; i += 1) await createTenant(admin, { id: `t-${i}`, name: `T${i}` }).expect(201);
    const list = await request(t.url).get('/api/v1/tenants').set(member).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.data.map((x: { id: string }) => x.id).sort()).toEqual(['t-1', 't-3']);
    await request(t.url).get('/api/v1/tenants/t-1').set(member).expect(200);
    const denied = await request(t.url).get('/api/v1/tenants/t-2').set(member).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const noTenants = bearer(await callerToken({ org: 'acme', role: 'member' }));
    expect((await request(t.url).get('/api/v1/tenants').set(noTenants).expect(200)).body).toEqual({ success: true, data: [], total: 0 });
  });

  it('should refuse every write by a member with 403 and change nothing', async () => {
    await createTenant(admin, { id: 't-1', name: 'T1' }).expect(201);
    expect((await createTenant(member, { id: 't-3', name: 'T3' }).expect(403)).body.code).toBe('FORBIDDEN');
    await request(t.url).patch('/api/v1/tenants/t-1').set(member).send({ name: 'hacked' }).expect(403);
    await request(t.url).delete('/api/v1/tenants/t-1').set(member).expect(403);
    const res = await request(t.url).get('/api/v1/tenants/t-1').set(admin).expect(200);
    expect(res.body.data.name).toBe('T1');
  });

  it("should answer another organization's tenant as if it did not exist", async () => {
    await createTenant(admin, { id: 'secret-customer', name: 'S' }).expect(201);
    for (const call of [
      request(t.url).get('/api/v1/tenants/secret-customer').set(otherAdmin),
      request(t.url).patch('/api/v1/tenants/secret-customer').set(otherAdmin).send({ name: 'x' }),
      request(t.url).delete('/api/v1/tenants/secret-customer').set(otherAdmin),
    ]) {
      const res = await call.expect(404);
      expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND', error: 'Tenant not found' });
    }
    expect((await request(t.url).get('/api/v1/tenants').set(otherAdmin).expect(200)).body.total).toBe(0);
    await request(t.url).get('/api/v1/tenants/secret-customer').set(admin).expect(200);
    // A member of the other organization that claims the id still sees nothing.
    const sneaky = bearer(await callerToken({ org: 'globex', role: 'member', tenants: ['secret-customer'] }));
    await request(t.url).get('/api/v1/tenants/secret-customer').set(sneaky).expect(404);
  });

  it('should update only the given fields and refuse changing the id', async () => {
    await createTenant(admin, { id: 't-1', name: 'T1', metadata: { plan: 'free' } }).expect(201);
    const res = await request(t.url)
      .patch('/api/v1/tenants/t-1')
      .set(admin)
      .send({ status: 'suspended', allowed_origins: ['https://app.example.com', 'http://localhost:5173'] })
      .expect(200);
    expect(res.body.data).toMatchObject({ name: 'T1', status: 'suspended', allowed_origins: ['https://app.example.com', 'http://localhost:5173'], metadata: { plan: 'free' } });
    await request(t.url).patch('/api/v1/tenants/t-1').set(admin).send({ id: 't-2' }).expect(422);
    for (const field of ['name', 'status', 'allowed_origins', 'metadata']) {
      await request(t.url).patch('/api/v1/tenants/t-1').set(admin).send({ [field]: null }).expect(422);
    }
    await request(t.url).patch('/api/v1/tenants/t-1').set(admin).send({ organization_id: 'globex' }).expect(422);
    await request(t.url).patch('/api/v1/tenants/nope').set(admin).send({ name: 'x' }).expect(404);
  });

  it('should delete a tenant, then answer 404', async () => {
    await createTenant(admin, { id: 't-1', name: 'T1' }).expect(201);
    const res = await request(t.url).delete('/api/v1/tenants/t-1').set(admin).expect(204);
    expect(res.text).toBe('');
    await request(t.url).get('/api/v1/tenants/t-1').set(admin).expect(404);
    await request(t.url).delete('/api/v1/tenants/t-1').set(admin).expect(404);
  });

  it('should refuse to delete a tenant that something still references, leaving no orphan', async () => {
    // Stands in for the dashboards table, which references tenants the same way.
    await t.dataSource.query(`CREATE TABLE IF NOT EXISTS tenant_child_probe (
      organization_id text NOT NULL, tenant_id text NOT NULL,
      FOREIGN KEY (organization_id, tenant_id) REFERENCES tenants (organization_id, id) ON DELETE RESTRICT)`);
    try {
      await createTenant(admin, { id: 't-1', name: 'T1' }).expect(201);
      await t.dataSource.query(`INSERT INTO tenant_child_probe VALUES ('acme', 't-1')`);
      const res = await request(t.url).delete('/api/v1/tenants/t-1').set(admin).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', error: expect.stringContaining('dashboard') });
      await request(t.url).get('/api/v1/tenants/t-1').set(admin).expect(200);
    } finally {
      await t.dataSource.query('DROP TABLE tenant_child_probe');
    }
  });

  it('should create a tenant implicitly on first use, once under concurrency, and refuse a suspended one', async () => {
    const tenants = t.app.get(TenantsService);
    const created = await Promise.all(Array.from({ length: 10 }, () => tenants.ensureActive('acme', 'implicit-1')));
    expect(new Set(created.map((c) => c.tenant.createdAt.getTime())).size).toBe(1);
    expect(created.filter((c) => c.created)).toHaveLength(1);
    const res = await request(t.url).get('/api/v1/tenants/implicit-1').set(admin).expect(200);
    expect(res.body.data).toMatchObject({ id: 'implicit-1', name: 'implicit-1', status: 'active' });

    await request(t.url).patch('/api/v1/tenants/implicit-1').set(admin).send({ status: 'suspended' }).expect(200);
    await expect(tenants.ensureActive('acme', 'implicit-1')).rejects.toBeInstanceOf(TenantSuspendedError);
    // The same id in another organization is another tenant.
    await expect(tenants.ensureActive('globex', 'implicit-1')).resolves.toMatchObject({ tenant: { organizationId: 'globex', status: 'active' }, created: true });
  });
});
