import request from 'supertest';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('rate limits', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_TOKEN_VALIDATION: '5/60s', RATE_LIMIT_TOKEN_INVALIDATION: '3/60s', RATE_LIMIT_DEFAULT: '1000/60s' });
    admin = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'limits-admin' }));
    await resetDatabase(t.dataSource);
    await createWorkspace(t.url, admin, { id: 'ws', name: 'B', provider: 'builtin' });
  });
  afterAll(() => t.close());

  const newDashboard = async (tenant: string): Promise<{ dashboardId: string; dashboardSecret: string }> => {
    const res = await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: tenant, workspace_id: 'ws', name: 'D' }).expect(201);
    return { dashboardId: res.body.data.dashboard_id, dashboardSecret: res.body.data.dashboard_secret };
  };

  it('should refuse the 101st token of one dashboard while another dashboard still gets tokens', async () => {
    const first = await newDashboard('t-1');
    const second = await newDashboard('t-2');
    for (let i = 1; i <= 100; i += 1) {
      const res = await request(t.url).post('/api/v1/tokens').send(first).expect(200);
      if (i === 100) expect(res.headers['ratelimit-remaining']).toBe('0');
    }
    const refused = await request(t.url).post('/api/v1/tokens').send(first).expect(429);
    expect(refused.body).toMatchObject({ success: false, code: 'RATE_LIMIT_EXCEEDED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-limit']).toBe('100');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    await request(t.url).post('/api/v1/tokens').send(second).expect(200);
  });

  it('should allow 10 iframe tokens a minute per caller, not per organization', async () => {
    const { dashboardId } = await newDashboard('t-3');
    const body = { tenant_id: 't-3', workspace_id: 'ws', dashboard_id: dashboardId };
    const caller = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'iframe-user' }));
    for (let i = 0; i < 10; i += 1) await request(t.url).post('/api/v1/dashboards/iframe-token').set(caller).send(body).expect(200);
    expect((await request(t.url).post('/api/v1/dashboards/iframe-token').set(caller).send(body).expect(429)).body.code).toBe('RATE_LIMIT_EXCEEDED');
    const colleague = bearer(await callerToken({ org: 'acme', role: 'admin', sub: 'colleague' }));
    await request(t.url).post('/api/v1/dashboards/iframe-token').set(colleague).send(body).expect(200);
  });

  it('should limit validation and invalidation per token (configured through RATE_LIMIT_*)', async () => {
    const { dashboardId, dashboardSecret } = await newDashboard('t-4');
    const token = (await request(t.url).post('/api/v1/tokens').send({ dashboardId, dashboardSecret }).expect(200)).body.data.accessToken;
    const other = (await request(t.url).post('/api/v1/tokens').send({ dashboardId, dashboardSecret }).expect(200)).body.data.accessToken;
    for (let i = 0; i < 5; i += 1) await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(429);
    await request(t.url).post('/api/v1/tokens/validate').send({ token: other }).expect(200);
    for (let i = 0; i < 3; i += 1) await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${other}`).expect(200);
    await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${other}`).expect(429);
  });
});
