import request from 'supertest';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { TestRedis } from '../support/redis-server';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

/** Two real instances (own ports) on one PostgreSQL and one Redis the test owns, as behind a load balancer. */
interface Cluster {
  redis: TestRedis;
  a: TestApp;
  b: TestApp;
  admin: Record<string, string>;
  newDashboard(tenant: string): Promise<{ dashboardId: string; dashboardSecret: string }>;
  close(): Promise<void>;
}

async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const redis = await TestRedis.start();
  const a = await startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_DEFAULT: '100000/60s', ...env });
  const b = await startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_DEFAULT: '100000/60s', ...env });
  const admin = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'cluster-admin' }));
  await resetDatabase(a.dataSource);
  await a.app.get(SigningKeysService).refresh();
  await b.app.get(SigningKeysService).reload();
  await createWorkspace(a.url, admin, { id: 'ws', name: 'B', provider: 'builtin' });
  return {
    redis,
    a,
    b,
    admin,
    async newDashboard(tenant) {
      const res = await request(a.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: tenant, workspace_id: 'ws', name: 'D' }).expect(201);
      return { dashboardId: res.body.data.dashboard_id, dashboardSecret: res.body.data.dashboard_secret };
    },
    async close() {
      await a.close();
      await b.close();
      await redis.stop();
    },
  };
}

describe('several instances behind one Redis', () => {
  let cluster: Cluster;
  let a: TestApp;
  let b: TestApp;
  let admin: Record<string, string>;
  let redis: TestRedis;

  beforeAll(async () => {
    cluster = await startCluster({});
    ({ a, b, admin, redis } = cluster);
  });
  afterAll(() => cluster?.close());

  const newDashboard = (tenant: string) => cluster.newDashboard(tenant);
  const spread = <T>(count: number, call: (app: TestApp, i: number) => Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: count }, (_, i) => call(i % 2 === 0 ? a : b, i)));

  it('should report Redis in readiness', async () => {
    const res = await request(a.url).get('/health/ready').expect(200);
    expect(res.body.data).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });
  });

  it('should admit exactly 10 iframe tokens a minute per caller across both instances under 200 concurrent requests', async () => {
    const { dashboardId } = await newDashboard('t-iframe');
    const caller = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'busy-caller' }));
    const body = { tenant_id: 't-iframe', workspace_id: 'ws', dashboard_id: dashboardId };
    const statuses = await spread(200, (app) => request(app.url).post('/api/v1/dashboards/iframe-token').set(caller).send(body).then((r) => r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
  });

  it('should admit exactly 100 tokens of one dashboard across both instances', async () => {
    const dashboard = await newDashboard('t-gen');
    const statuses = await spread(200, (app) => request(app.url).post('/api/v1/tokens').send(dashboard).then((r) => r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100);
  });

  it('should refuse on instance B, within 1 s, a token revoked on instance A', async () => {
    const dashboard = await newDashboard('t-revoke');
    const token = (await request(a.url).post('/api/v1/tokens').send(dashboard).expect(200)).body.data.accessToken;
    await request(b.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    await request(a.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 2_000) {
      status = (await request(b.url).post('/api/v1/tokens/validate').send({ token })).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('should refuse on B at once a tenant revoked on A', async () => {
    const dashboard = await newDashboard('t-tenant');
    const token = (await request(b.url).post('/api/v1/tokens').send(dashboard).expect(200)).body.data.accessToken;
    await request(a.url).post('/api/v1/tenants/t-tenant/tokens/revoke').set(admin).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await request(b.url).post('/api/v1/tokens/validate').send({ token }).expect(401)).body.code).toBe('INVALID_TOKEN');
  });

  it('should keep a cold instance refusing a token revoked before it started', async () => {
    const dashboard = await newDashboard('t-cold');
    const token = (await request(a.url).post('/api/v1/tokens').send(dashboard).expect(200)).body.data.accessToken;
    await request(a.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
    const cold = await startTestApp({ REDIS_URL: redis.url });
    try {
      expect((await request(cold.url).post('/api/v1/tokens/validate').send({ token }).expect(401)).body.code).toBe('INVALID_TOKEN');
    } finally {
      await cold.close();
    }
  });
});

describe('when Redis goes down and comes back', () => {
  let cluster: Cluster;
  let a: TestApp;
  let b: TestApp;
  let redis: TestRedis;

  beforeAll(async () => {
    cluster = await startCluster({ RATE_LIMIT_TOKEN_GENERATION: '5/60s' });
    ({ a, b, redis } = cluster);
  });
  afterAll(() => cluster?.close());

  const newDashboard = (tenant: string) => cluster.newDashboard(tenant);
  const issued = async (app: TestApp, dashboard: object, attempts: number): Promise<number> => {
    let ok = 0;
    for (let i = 0; i < attempts; i += 1) if ((await request(app.url).post('/api/v1/tokens').send(dashboard)).status === 200) ok += 1;
    return ok;
  };

  it('should degrade to bounded per-instance limits, keep validating, and return to shared limits by itself', async () => {
    const shared = await newDashboard('t-shared');
    expect((await issued(a, shared, 4)) + (await issued(b, shared, 4))).toBe(5);

    await redis.stop();
    const ready = await request(a.url).get('/health/ready').expect(200);
    expect(ready.body.data).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });

    // Issuance and validation still work, each instance bounded by the limit on its own.
    const local = await newDashboard('t-local');
    expect(await issued(a, local, 8)).toBe(5);
    expect(await issued(b, local, 8)).toBe(5);
    const token = (await request(a.url).post('/api/v1/tokens').send(await newDashboard('t-valid')).expect(200)).body.data.accessToken;
    await request(b.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    // Revocation still reaches the other instance, through PostgreSQL.
    await request(a.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${token}`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await request(b.url).post('/api/v1/tokens/validate').send({ token }).expect(401);

    await redis.resume();
    const deadline = Date.now() + 10_000;
    let status = '';
    while (status !== 'ready' && Date.now() < deadline) {
      status = (await request(a.url).get('/health/ready')).body.data?.status;
      const statusB = (await request(b.url).get('/health/ready')).body.data?.status;
      if (statusB !== 'ready') status = '';
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('ready');
    const again = await newDashboard('t-again');
    expect((await issued(a, again, 4)) + (await issued(b, again, 4))).toBe(5);
  });
});
