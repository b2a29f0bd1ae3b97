import request from 'supertest';
import { SemanticDomainsService } from '../../src/semantic-domains/semantic-domains.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

const UNKNOWN_UUID = '6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f';

describe('semantic domains', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let member: Record<string, string>;
  let service: SemanticDomainsService;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['t-1'] }));
    service = t.app.get(SemanticDomainsService);
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await createWorkspace(t.url, admin, { id: 'ws-1', name: 'One', provider: 'builtin' });
  });
  afterAll(() => t.close());

  const base = (workspaceId = 'ws-1') => `/api/v1/workspaces/${workspaceId}/semantic-domains`;
  const create = (headers: Record<string, string>, body: Record<string, unknown>, workspaceId = 'ws-1') =>
    request(t.url).post(base(workspaceId)).set(headers).send(body);
  const createDomain = async (name: string, workspaceId = 'ws-1'): Promise<{ id: string; name: string }> =>
    (await create(admin, { name }, workspaceId).expect(201)).body.data;

  it('should create, read, list, update and delete a domain when the caller is an admin', async () => {
    const created = await create(admin, { name: 'Sales', description: 'Orders and revenue' }).expect(201);
    expect(created.body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      workspace_id: 'ws-1',
      name: 'Sales',
      description: 'Orders and revenue',
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const id = created.body.data.id;
    await create(admin, { name: 'Finance: EU.v2_x-y' }).expect(201);

    const read = await request(t.url).get(`${base()}/${id}`).set(admin).expect(200);
    expect(read.body.data).toEqual(created.body.data);

    const list = await request(t.url).get(`${base()}?limit=1`).set(admin).expect(200);
    expect(list.body).toMatchObject({ success: true, total: 2 });
    expect(list.body.data.map((d: { name: string }) => d.name)).toEqual(['Finance: EU.v2_x-y']);

    const renamed = await request(t.url).patch(`${base()}/${id}`).set(admin).send({ name: 'Revenue' }).expect(200);
    expect(renamed.body.data).toMatchObject({ id, name: 'Revenue', description: 'Orders and revenue' });
    const cleared = await request(t.url).patch(`${base()}/${id}`).set(admin).send({ description: null }).expect(200);
    expect(cleared.body.data).toMatchObject({ name: 'Revenue', description: null });

    await request(t.url).delete(`${base()}/${id}`).set(admin).expect(204);
    await request(t.url).get(`${base()}/${id}`).set(admin).expect(404);
    expect((await request(t.url).get(base()).set(admin).expect(200)).body.total).toBe(1);
  });

  it("should answer 404 Workspace not found when the workspace is another organization's or unknown", async () => {
    const domain = await createDomain('Sales');
    const calls = [
      request(t.url).post(base()).set(otherAdmin).send({ name: 'Mine' }),
      request(t.url).get(base()).set(otherAdmin),
      request(t.url).get(`${base()}/${domain.id}`).set(otherAdmin),
      request(t.url).patch(`${base()}/${domain.id}`).set(otherAdmin).send({ name: 'x' }),
      request(t.url).delete(`${base()}/${domain.id}`).set(otherAdmin),
      request(t.url).get(base('no-such-ws')).set(admin),
      request(t.url).post(base('no-such-ws')).set(admin).send({ name: 'x' }),
    ];
    for (const call of calls) expect((await call.expect(404)).body).toMatchObject({ code: 'NOT_FOUND', error: 'Workspace not found' });
    const mine = await request(t.url).get(`${base()}/${domain.id}`).set(admin).expect(200);
    expect(mine.body.data.name).toBe('Sales');
  });

  it('should not reach a domain through another organization that has a workspace with the same id', async () => {
    const domain = await createDomain('Sales');
    await createWorkspace(t.url, otherAdmin, { id: 'ws-1', name: 'Theirs', provider: 'builtin' });
    const calls = [
      request(t.url).get(`${base()}/${domain.id}`).set(otherAdmin),
      request(t.url).patch(`${base()}/${domain.id}`).set(otherAdmin).send({ name: 'Hijacked' }),
      request(t.url).delete(`${base()}/${domain.id}`).set(otherAdmin),
    ];
    for (const call of calls) expect((await call.expect(404)).body).toMatchObject({ code: 'NOT_FOUND', error: 'Semantic domain not found' });
    expect((await request(t.url).get(base()).set(otherAdmin).expect(200)).body.total).toBe(0);
    // The same name is free in their workspace.
    await create(otherAdmin, { name: 'Sales' }).expect(201);
    expect((await request(t.url).get(`${base()}/${domain.id}`).set(admin).expect(200)).body.data.name).toBe('Sales');
  });

  it('should refuse members with 403 on every route', async () => {
    const domain = await createDomain('Sales');
    const calls = [
      request(t.url).post(base()).set(member).send({ name: 'x' }),
      request(t.url).get(base()).set(member),
      request(t.url).get(`${base()}/${domain.id}`).set(member),
      request(t.url).patch(`${base()}/${domain.id}`).set(member).send({ name: 'x' }),
      request(t.url).delete(`${base()}/${domain.id}`).set(member),
    ];
    for (const call of calls) expect((await call.expect(403)).body.code).toBe('FORBIDDEN');
  });

  it.each([
    [{ name: 'Sales', workspace_id: 'ws-2' }, 'workspace_id'],
    [{ name: 'Sales', organization_id: 'globex' }, 'organization_id'],
    [{ name: 'Sales', id: UNKNOWN_UUID }, 'id'],
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: ' leading space' }, 'name'],
    [{ name: '-dash' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: "x'; DROP TABLE semantic_domains; --" }, 'name'],
    [{ name: '<script>' }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'Sales', description: 'd'.repeat(1001) }, 'description'],
    [{ name: 'Sales', description: 7 }, 'description'],
  ])('should refuse an invalid body %# with 422 and write nothing', async (body, field) => {
    const res = await create(admin, body).expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await request(t.url).get(base()).set(admin)).body.total).toBe(0);
  });

  it('should accept the longest name and description', async () => {
    await create(admin, { name: 'n'.repeat(100), description: 'd'.repeat(1000) }).expect(201);
  });

  it('should refuse unknown fields and nulls for the name on PATCH with 422', async () => {
    const domain = await createDomain('Sales');
    for (const body of [{ name: null }, { workspace_id: 'ws-2' }, { id: UNKNOWN_UUID }, { name: 'bad/name' }]) {
      expect((await request(t.url).patch(`${base()}/${domain.id}`).set(admin).send(body).expect(422)).body.code).toBe('VALIDATION_ERROR');
    }
    expect((await request(t.url).get(`${base()}/${domain.id}`).set(admin)).body.data.name).toBe('Sales');
  });

  it('should answer 409 for a duplicate name in a workspace, on create and on rename, but not across workspaces', async () => {
    await createDomain('Sales');
    const other = await createDomain('Finance');
    expect((await create(admin, { name: 'Sales' }).expect(409)).body.code).toBe('CONFLICT');
    expect((await request(t.url).patch(`${base()}/${other.id}`).set(admin).send({ name: 'Sales' }).expect(409)).body.code).toBe('CONFLICT');
    await createWorkspace(t.url, admin, { id: 'ws-2', name: 'Two', provider: 'builtin' });
    await create(admin, { name: 'Sales' }, 'ws-2').expect(201);
  });

  it('should answer 404 for a domain id that is not a UUID or not in the workspace, never a 500', async () => {
    const domain = await createDomain('Sales');
    await createWorkspace(t.url, admin, { id: 'ws-2', name: 'Two', provider: 'builtin' });
    const ids = ['not-a-uuid', "1'%20OR%20'1'='1", '00000000-0000-0000-0000-00000000000g', UNKNOWN_UUID, `${domain.id}0`];
    for (const id of ids) {
      for (const call of [
        request(t.url).get(`${base()}/${id}`).set(admin),
        request(t.url).patch(`${base()}/${id}`).set(admin).send({ name: 'x' }),
        request(t.url).delete(`${base()}/${id}`).set(admin),
      ]) {
        expect((await call.expect(404)).body).toMatchObject({ code: 'NOT_FOUND', error: 'Semantic domain not found' });
      }
    }
    // Right organization, wrong workspace.
    await request(t.url).get(`${base('ws-2')}/${domain.id}`).set(admin).expect(404);
    await request(t.url).delete(`${base('ws-2')}/${domain.id}`).set(admin).expect(404);
    await request(t.url).get(`${base()}/${domain.id}`).set(admin).expect(200);
  });

  it('should delete the domains of a deleted workspace', async () => {
    await createDomain('Sales');
    await request(t.url).delete('/api/v1/workspaces/ws-1').set(admin).expect(204);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM semantic_domains`);
    expect(count).toBe(0);
  });

  describe('resolve', () => {
    it('should resolve domains by id and by exact name, in order, with duplicates collapsed', async () => {
      const sales = await createDomain('Sales');
      const finance = await createDomain('Finance');
      await createDomain('HR');
      const resolved = await service.resolve('acme', 'ws-1', ['Finance', sales.id, 'Sales', finance.id, sales.id.toUpperCase()]);
      expect(resolved.map((d) => d.id)).toEqual([finance.id, sales.id]);
      expect(resolved.map((d) => d.name)).toEqual(['Finance', 'Sales']);
      await expect(service.resolve('acme', 'ws-1', [])).resolves.toEqual([]);
    });

    it('should resolve a name that looks like a UUID by its name', async () => {
      const named = await createDomain(UNKNOWN_UUID);
      const resolved = await service.resolve('acme', 'ws-1', [UNKNOWN_UUID]);
      expect(resolved.map((d) => d.id)).toEqual([named.id]);
    });

    it('should refuse with 422 naming the first entry that matches nothing', async () => {
      const sales = await createDomain('Sales');
      await expect(service.resolve('acme', 'ws-1', ['Sales', 'sales', 'Nope'])).rejects.toMatchObject({
        status: 422,
        code: 'VALIDATION_ERROR',
        details: [{ field: 'allowedSemanticDomains[1]', message: 'unknown semantic domain' }],
      });
      for (const entry of [UNKNOWN_UUID, 'not a/name', '', "x'--", 'bad\u0000byte']) {
        await expect(service.resolve('acme', 'ws-1', [sales.id, entry])).rejects.toMatchObject({
          status: 422,
          details: [{ field: 'allowedSemanticDomains[1]', message: 'unknown semantic domain' }],
        });
      }
    });

    it("should not resolve another workspace's or another organization's domains", async () => {
      await createWorkspace(t.url, admin, { id: 'ws-2', name: 'Two', provider: 'builtin' });
      const elsewhere = await createDomain('Elsewhere', 'ws-2');
      await createWorkspace(t.url, otherAdmin, { id: 'ws-1', name: 'Theirs', provider: 'builtin' });
      const theirs = (await create(otherAdmin, { name: 'Theirs' }).expect(201)).body.data;
      for (const entry of [elsewhere.id, 'Elsewhere', theirs.id, 'Theirs']) {
        await expect(service.resolve('acme', 'ws-1', [entry])).rejects.toMatchObject({
          status: 422,
          details: [{ field: 'allowedSemanticDomains[0]', message: 'unknown semantic domain' }],
        });
      }
      await expect(service.resolve('globex', 'ws-1', [theirs.id])).resolves.toHaveLength(1);
    });

    it('should refuse more than 50 entries with 422', async () => {
      await createDomain('Sales');
      await expect(service.resolve('acme', 'ws-1', Array.from({ length: 50 }, () => 'Sales'))).resolves.toHaveLength(1);
      await expect(service.resolve('acme', 'ws-1', Array.from({ length: 51 }, () => 'Sales'))).rejects.toMatchObject({
        status: 422,
        code: 'VALIDATION_ERROR',
        details: [{ field: 'allowedSemanticDomains' }],
      });
    });
  });
});
