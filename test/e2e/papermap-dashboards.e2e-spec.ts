import request from 'supertest';
import { bearer, callerToken } from '../support/caller-tokens';
import { FakeProvider, json } from '../support/fake-provider';
import { createApiKey, createWorkspace } from '../support/fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { runDatabaseUrl } from '../support/test-database';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

const SECRET_KEY = 'sk_papermap_very_secret_value_123';

describe('dashboards on a papermap workspace', () => {
  let fake: FakeProvider;
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeProvider.start();
    t = await startTestApp({ PAPERMAP_TIMEOUT_MS: '500' });
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
  });
  let testNumber = 0;
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    // A base path per test gives each test its own circuit breaker (they are keyed by api_url).
    testNumber += 1;
    await createWorkspace(t.url, admin, {
      id: 'workspace-456',
      name: 'P',
      provider: 'papermap',
      api_url: `${fake.url}/t${testNumber}`,
      api_key_id: 'ak_remote',
      secret_key: SECRET_KEY,
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const create = (tenant = 'org-123') =>
    request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: tenant, workspace_id: 'workspace-456', name: 'Sales Dashboard' });
  const rows = async (): Promise<{ dashboards: number; tenants: number }> => {
    const [{ d, t: tenants }] = await t.dataSource.query('SELECT (SELECT count(*) FROM dashboards)::int AS d, (SELECT count(*) FROM tenants)::int AS t');
    return { dashboards: d, tenants };
  };

  it('should create through the signed API and delete there first', async () => {
    fake.reset((req, res) => (req.method === 'POST' ? json(res, 201, { data: { data: { dashboard_id: 'dashboard-789' } } }) : res.writeHead(204).end()));
    const res = await create().expect(201);
    expect(res.body.data.dashboard_id).toBe('dashboard-789');
    const [call] = fake.requests;
    expect(call.method).toBe('POST');
    expect(call.url).toMatch(/^\/t\d+\/api\/v1\/external\/dashboards$/);
    expect(JSON.parse(call.body)).toEqual({ workspace_id: 'workspace-456', title: 'Sales Dashboard', description: null });
    expect(call.headers['x-api-key-id']).toBe('ak_remote');
    expect(call.headers['x-workspace-id']).toBe('workspace-456');

    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
    expect(fake.requests[1].method).toBe('DELETE');
    expect(fake.requests[1].url).toMatch(/\/api\/v1\/external\/dashboards\/dashboard-789$/);
  });

  it('should count a provider 404 on delete as deleted', async () => {
    fake.reset((req, res) => (req.method === 'POST' ? json(res, 201, { data: { data: { dashboard_id: 'gone-1' } } }) : json(res, 404, {})));
    await create().expect(201);
    await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(204);
    expect((await rows()).dashboards).toBe(0);
  });

  it('should keep the mapping when the provider fails to delete', async () => {
    fake.reset((req, res) => (req.method === 'POST' ? json(res, 201, { data: { data: { dashboard_id: 'keep-1' } } }) : json(res, 500, {})));
    await create().expect(201);
    expect((await request(t.url).delete('/api/v1/dashboards/org-123').set(admin).expect(502)).body.code).toBe('UPSTREAM_ERROR');
    await request(t.url).get('/api/v1/dashboards/org-123').set(admin).expect(200);
  });

  it.each([
    ['500', (res: import('node:http').ServerResponse) => json(res, 500, { error: 'boom' }), 502, 'UPSTREAM_ERROR'],
    ['401', (res: import('node:http').ServerResponse) => json(res, 401, { error: 'bad signature' }), 502, 'UPSTREAM_AUTH_FAILED'],
    ['409', (res: import('node:http').ServerResponse) => json(res, 409, { error: 'exists' }), 409, 'CONFLICT'],
    ['429 with Retry-After', (res: import('node:http').ServerResponse) => json(res, 429, {}, { 'retry-after': '120' }), 503, 'UPSTREAM_UNAVAILABLE'],
    ['a body without dashboard_id', (res: import('node:http').ServerResponse) => json(res, 201, { data: { id: 'x' } }), 502, 'UPSTREAM_ERROR'],
    ['a 5 MB body', (res: import('node:http').ServerResponse) => res.writeHead(201, { 'content-type': 'application/json' }).end(`{"data":"${'x'.repeat(5 * 1024 * 1024)}"}`), 502, 'UPSTREAM_ERROR'],
    ['a redirect to another host', (res: import('node:http').ServerResponse) => res.writeHead(302, { location: 'http://127.0.0.2:9/steal' }).end(), 502, 'UPSTREAM_ERROR'],
    ['no answer (hang)', () => undefined, 502, 'UPSTREAM_ERROR'],
  ])('should map %s and leave no row behind', async (_case, respond, status, code) => {
    fake.reset((_req, res) => respond(res));
    const res = await create().expect(status);
    expect(res.body).toMatchObject({ success: false, code });
    if (code === 'UPSTREAM_UNAVAILABLE') expect(res.headers['retry-after']).toBe('120');
    expect(await rows()).toEqual({ dashboards: 0, tenants: 0 });
    expect(JSON.stringify(res.body)).not.toContain(SECRET_KEY);
    expect(t.logs.text()).not.toContain(SECRET_KEY);
  });

  it('should map a refused connection to 502 and leave no row behind', async () => {
    await request(t.url).patch('/api/v1/workspaces/workspace-456').set(admin).send({ api_url: 'http://127.0.0.1:9' }).expect(200);
    expect((await create().expect(502)).body.code).toBe('UPSTREAM_ERROR');
    expect(await rows()).toEqual({ dashboards: 0, tenants: 0 });
  });

  it('should keep an existing tenant when the provider fails', async () => {
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-123', name: 'Mine' }).expect(201);
    fake.reset((_req, res) => json(res, 500, {}));
    await create().expect(502);
    expect(await rows()).toEqual({ dashboards: 0, tenants: 1 });
  });

  it('should refuse a provider id that another mapping holds, without deleting it at the provider', async () => {
    fake.reset((req, res) => (req.method === 'POST' ? json(res, 201, { data: { data: { dashboard_id: 'same-id' } } }) : res.writeHead(204).end()));
    await create('t-1').expect(201);
    expect((await create('t-2').expect(409)).body.code).toBe('CONFLICT');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect((await rows()).dashboards).toBe(1);
  });

  it('should call the provider once under 20 concurrent creates for one tenant', async () => {
    fake.reset((_req, res) => setTimeout(() => json(res, 201, { data: { data: { dashboard_id: 'only-one' } } }), 100));
    const responses = await Promise.all(Array.from({ length: 20 }, () => create()));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(19);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect((await rows()).dashboards).toBe(1);
  });
});

describe('when the database fails after the provider created the dashboard', () => {
  it('should delete the dashboard at the provider again', async () => {
    const fake = await FakeProvider.start();
    const proxy = await TcpProxy.start(runDatabaseUrl());
    const t = await startTestApp({ DATABASE_URL: proxy.urlFor(runDatabaseUrl()), DATABASE_CONNECT_TIMEOUT_MS: '500' });
    try {
      const admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
      await resetDatabase(t.dataSource);
      await createWorkspace(t.url, admin, { id: 'ws', name: 'P', provider: 'papermap', api_url: fake.url, api_key_id: 'k', secret_key: SECRET_KEY });
      fake.reset((req, res) => {
        if (req.method === 'POST') {
          proxy.cut(); // the database goes away while the provider answers
          json(res, 201, { data: { data: { dashboard_id: 'orphan-1' } } });
        } else {
          res.writeHead(204).end();
        }
      });
      const res = await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-1', workspace_id: 'ws', name: 'D' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/external/dashboards', 'DELETE /api/v1/external/dashboards/orphan-1']);
    } finally {
      proxy.restore();
      await t.close();
      await proxy.stop();
      await fake.stop();
    }
  });
});

describe('interop: one Tessera is the provider of another', () => {
  let provider: TestApp;
  let consumer: TestApp;

  beforeAll(async () => {
    provider = await startTestApp();
    consumer = await startTestApp();
  });
  afterAll(async () => {
    await consumer.close();
    await provider.close();
  });

  it('should create and delete the dashboard on the provider instance through real signed HTTP', async () => {
    await resetDatabase(provider.dataSource);
    const providerAdmin = bearer(await callerToken({ org: 'provider-co', role: 'admin' }));
    const consumerAdmin = bearer(await callerToken({ org: 'saas-co', role: 'admin' }));
    await createWorkspace(provider.url, providerAdmin, { id: 'remote-ws', name: 'Hosted', provider: 'builtin' });
    const key = await createApiKey(provider.url, providerAdmin);
    await createWorkspace(consumer.url, consumerAdmin, {
      id: 'remote-ws',
      name: 'Remote',
      provider: 'papermap',
      api_url: `${provider.url}/`,
      api_key_id: key.api_key_id,
      secret_key: key.secret_key,
    });

    const created = await request(consumer.url)
      .post('/api/v1/dashboards')
      .set(consumerAdmin)
      .send({ tenant_id: 'org-123', workspace_id: 'remote-ws', name: 'Sales', description: 'Q4' })
      .expect(201);
    const hosted = await provider.dataSource.query('SELECT id, organization_id, workspace_id, title, description FROM builtin_dashboards');
    expect(hosted).toEqual([{ id: created.body.data.dashboard_id, organization_id: 'provider-co', workspace_id: 'remote-ws', title: 'Sales', description: 'Q4' }]);

    await request(consumer.url).delete('/api/v1/dashboards/org-123').set(consumerAdmin).expect(204);
    expect(await provider.dataSource.query('SELECT id FROM builtin_dashboards')).toEqual([]);

    // A revoked key makes the consumer's provider calls fail as an upstream auth failure.
    await request(provider.url).delete(`/api/v1/api-keys/${key.api_key_id}`).set(providerAdmin).expect(204);
    const refused = await request(consumer.url).post('/api/v1/dashboards').set(consumerAdmin).send({ tenant_id: 'org-9', workspace_id: 'remote-ws', name: 'X' }).expect(502);
    expect(refused.body.code).toBe('UPSTREAM_AUTH_FAILED');
  });
});
