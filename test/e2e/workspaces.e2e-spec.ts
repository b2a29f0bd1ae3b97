import request from 'supertest';
import { WorkspacesService } from '../../src/workspaces/workspaces.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

const PROVIDER_SECRET = 'sk_live_9f8e7d6c5b4a-provider-secret';

describe('workspaces', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let member: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['t-1'] }));
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  const papermap = { id: 'workspace-456', name: 'Analytics', provider: 'papermap', api_key_id: 'ak_123', secret_key: PROVIDER_SECRET };
  const create = (headers: Record<string, string>, body: Record<string, unknown>) =>
    request(t.url).post('/api/v1/workspaces').set(headers).send(body);

  it('should create a builtin workspace and show its project secret once', async () => {
    const res = await create(admin, { id: 'ws-1', name: 'Built in', provider: 'builtin' }).expect(201);
    expect(res.body.data).toEqual({
      id: 'ws-1',
      name: 'Built in',
      provider: 'builtin',
      api_url: null,
      api_key_id: null,
      has_secret_key: false,
      embed_url: null,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      project_secret: expect.stringMatching(/^ps_[A-Za-z0-9_-]{43}$/),
    });
    const read = await request(t.url).get('/api/v1/workspaces/ws-1').set(admin).expect(200);
    expect(read.body.data.project_secret).toBeUndefined();
  });

  it('should create a papermap workspace with the deployment defaults, never returning the secret key', async () => {
    const res = await create(admin, papermap).expect(201);
    expect(res.body.data).toMatchObject({
      provider: 'papermap',
      api_url: 'https://prod.dataapi.papermap.ai',
      embed_url: 'https://papermap.ai/embedded/dashboard',
      api_key_id: 'ak_123',
      has_secret_key: true,
    });
    const bodies = [
      res.text,
      (await request(t.url).get('/api/v1/workspaces/workspace-456').set(admin)).text,
      (await request(t.url).get('/api/v1/workspaces').set(admin)).text,
      (await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ name: 'Renamed' })).text,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(PROVIDER_SECRET);
      expect(body).not.toMatch(/"secret_key"|sealed|_hash/);
    }
  });

  it('should keep the provider secret unreadable in the database and out of the logs', async () => {
    const res = await create(admin, papermap).expect(201);
    const [row] = await t.dataSource.query(`SELECT * FROM workspaces WHERE id = 'workspace-456'`);
    expect(JSON.stringify(row)).not.toContain(PROVIDER_SECRET);
    expect(JSON.stringify(row)).not.toContain(res.body.data.project_secret);
    expect(row.secret_key_sealed).toMatch(/^v1\./);
    expect(row.project_secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.logs.text()).not.toContain(PROVIDER_SECRET);
    expect(t.logs.text()).not.toContain(res.body.data.project_secret);

    // Only the provider layer gets it back, decrypted.
    const connection = await t.app.get(WorkspacesService).getForOrganization('acme', 'workspace-456');
    expect(connection).toMatchObject({ provider: 'papermap', apiKeyId: 'ak_123', secretKey: PROVIDER_SECRET, apiUrl: 'https://prod.dataapi.papermap.ai' });
  });

  it('should not decrypt a sealed secret copied into another workspace row', async () => {
    await create(admin, papermap).expect(201);
    await create(admin, { ...papermap, id: 'ws-other', secret_key: 'another-secret' }).expect(201);
    await t.dataSource.query(
      `UPDATE workspaces SET secret_key_sealed = (SELECT secret_key_sealed FROM workspaces WHERE id = 'workspace-456') WHERE id = 'ws-other'`,
    );
    await expect(t.app.get(WorkspacesService).getForOrganization('acme', 'ws-other')).rejects.toThrow();
  });

  it.each([
    [{ id: 'w', name: 'n', provider: 'papermap', secret_key: 's' }, 'api_key_id'],
    [{ id: 'w', name: 'n', provider: 'papermap', api_key_id: 'k' }, 'secret_key'],
    [{ id: 'w', name: 'n', provider: 'builtin', secret_key: 's' }, 'secret_key'],
    [{ id: 'w', name: 'n', provider: 'builtin', api_url: 'https://x.example.com' }, 'api_url'],
    [{ id: 'w', name: 'n', provider: 'tableau' }, 'provider'],
    [{ id: 'w', name: 'n', provider: 'papermap', api_key_id: 'k', secret_key: 's', api_url: 'ftp://x' }, 'api_url'],
    [{ id: 'w', name: 'n', provider: 'papermap', api_key_id: 'k', secret_key: 's', api_url: 'https://user:pw@x.example.com' }, 'api_url'],
    [{ id: 'w', name: 'n', provider: 'builtin', organization_id: 'globex' }, 'organization_id'],
    [{ id: 'w', name: 'n', provider: 'builtin', project_secret: 'ps_mine' }, 'project_secret'],
    [{ id: 'w w', name: 'n', provider: 'builtin' }, 'id'],
    [{ id: 'w', name: 'n', provider: 'papermap', api_key_id: 'ak\r\nX-Injected: 1', secret_key: 's' }, 'api_key_id'],
  ])('should refuse an invalid or over-reaching body %# and write nothing', async (body, field) => {
    const res = await create(admin, body).expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await request(t.url).get('/api/v1/workspaces').set(admin)).body.total).toBe(0);
  });

  it('should answer 409 for a duplicate id within the organization, not across organizations', async () => {
    await create(admin, papermap).expect(201);
    expect((await create(admin, papermap).expect(409)).body.code).toBe('CONFLICT');
    await create(otherAdmin, papermap).expect(201);
  });

  it('should refuse members on every route with 403', async () => {
    await create(admin, papermap).expect(201);
    const calls = [
      request(t.url).post('/api/v1/workspaces').set(member).send({ id: 'm', name: 'm', provider: 'builtin' }),
      request(t.url).get('/api/v1/workspaces').set(member),
      request(t.url).get('/api/v1/workspaces/workspace-456').set(member),
      request(t.url).patch('/api/v1/workspaces/workspace-456').set(member).send({ name: 'x' }),
      request(t.url).delete('/api/v1/workspaces/workspace-456').set(member),
      request(t.url).post('/api/v1/workspaces/workspace-456/project-secret').set(member),
    ];
    for (const call of calls) expect((await call.expect(403)).body.code).toBe('FORBIDDEN');
  });

  it("should answer another organization's workspace as if it did not exist", async () => {
    await create(admin, papermap).expect(201);
    const calls = [
      request(t.url).get('/api/v1/workspaces/workspace-456').set(otherAdmin),
      request(t.url).patch('/api/v1/workspaces/workspace-456').set(otherAdmin).send({ name: 'x' }),
      request(t.url).delete('/api/v1/workspaces/workspace-456').set(otherAdmin),
      request(t.url).post('/api/v1/workspaces/workspace-456/project-secret').set(otherAdmin),
    ];
    for (const call of calls) expect((await call.expect(404)).body).toMatchObject({ code: 'NOT_FOUND', error: 'Workspace not found' });
    expect((await request(t.url).get('/api/v1/workspaces').set(otherAdmin)).body.total).toBe(0);
    const mine = await request(t.url).get('/api/v1/workspaces/workspace-456').set(admin).expect(200);
    expect(mine.body.data.name).toBe('Analytics');
  });

  it('should rotate the project secret: a new one once, the stored digest replaced', async () => {
    const created = await create(admin, { id: 'ws-1', name: 'B', provider: 'builtin' }).expect(201);
    const [before] = await t.dataSource.query(`SELECT project_secret_hash FROM workspaces WHERE id = 'ws-1'`);
    const rotated = await request(t.url).post('/api/v1/workspaces/ws-1/project-secret').set(admin).expect(200);
    expect(rotated.body.data.project_secret).toMatch(/^ps_/);
    expect(rotated.body.data.project_secret).not.toBe(created.body.data.project_secret);
    const [after] = await t.dataSource.query(`SELECT project_secret_hash FROM workspaces WHERE id = 'ws-1'`);
    expect(after.project_secret_hash).not.toBe(before.project_secret_hash);
  });

  it('should update settings, re-seal a new secret key, and refuse changing provider or id', async () => {
    await create(admin, papermap).expect(201);
    const res = await request(t.url)
      .patch('/api/v1/workspaces/workspace-456')
      .set(admin)
      .send({ api_url: 'http://127.0.0.1:9999', secret_key: 'rotated-secret', embed_url: 'https://embed.example.com/dashboard' })
      .expect(200);
    expect(res.body.data).toMatchObject({ api_url: 'http://127.0.0.1:9999', embed_url: 'https://embed.example.com/dashboard', has_secret_key: true });
    const connection = await t.app.get(WorkspacesService).getForOrganization('acme', 'workspace-456');
    expect(connection.secretKey).toBe('rotated-secret');

    const reset = await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ api_url: null }).expect(200);
    expect(reset.body.data.api_url).toBe('https://prod.dataapi.papermap.ai');
    await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ provider: 'builtin' }).expect(422);
    for (const field of ['name', 'api_key_id', 'secret_key']) {
      await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ [field]: null }).expect(422);
    }
    await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ id: 'other' }).expect(422);
    await request(t.url).patch('/api/v1/workspaces/nope').set(admin).send({ name: 'x' }).expect(404);
  });

  it('should list with total and delete with 204', async () => {
    await create(admin, papermap).expect(201);
    await create(admin, { id: 'ws-2', name: 'B', provider: 'builtin' }).expect(201);
    const list = await request(t.url).get('/api/v1/workspaces?limit=1').set(admin).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.data).toHaveLength(1);
    await request(t.url).delete('/api/v1/workspaces/ws-2').set(admin).expect(204);
    await request(t.url).get('/api/v1/workspaces/ws-2').set(admin).expect(404);
  });
});
