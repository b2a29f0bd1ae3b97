import request from 'supertest';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { FakeProvider, json } from '../support/fake-provider';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and (at least) these labels; 0 when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ text: string; samples: Sample[] }> {
  const res = await request(url).get('/metrics').set(headers).expect(200);
  return { text: res.text, samples: parseMetrics(res.text) };
}

describe('GET /metrics', () => {
  let t: TestApp;
  let fake: FakeProvider;
  let admin: Record<string, string>;
  let dashboardId: string;
  let dashboardSecret: string;

  beforeAll(async () => {
    fake = await FakeProvider.start();
    t = await startTestApp({ RATE_LIMIT_TOKEN_VALIDATION: '2/60s', PAPERMAP_TIMEOUT_MS: '500' });
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await t.app.get(SigningKeysService).refresh();
    await createWorkspace(t.url, admin, { id: 'proj-1', name: 'P', provider: 'builtin' });
    const dashboard = await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-123', workspace_id: 'proj-1', name: 'Sales' }).expect(201);
    ({ dashboard_id: dashboardId, dashboard_secret: dashboardSecret } = dashboard.body.data);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const issue = async (): Promise<string> =>
    (await request(t.url).post('/api/v1/tokens').send({ dashboardId, dashboardSecret }).expect(200)).body.data.accessToken as string;

  it('should answer the Prometheus text format without a caller JWT, with default process metrics', async () => {
    const res = await request(t.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).not.toContain('"success"');
    expect(res.text).toContain('# TYPE tessera_http_requests_total counter');
    expect(res.text).toContain('# TYPE tessera_http_request_duration_seconds histogram');
    expect(res.text).toContain('# TYPE tessera_provider_circuit_open gauge');
    expect(res.text).toMatch(/^tessera_process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^tessera_nodejs_eventloop_lag_seconds /m);
  });

  it('should count requests by route pattern, never by raw path, query string or token', async () => {
    const before = (await scrape(t.url)).samples;
    const token = await issue();
    await request(t.url).get('/api/v1/tenants/org-123?access_token=q-secret-in-query').set(admin).expect(200);
    await request(t.url).get('/api/v1/tenants/org-123').set(admin).expect(200);
    await request(t.url).get(`/no-such-route/${token}?embedded-token=${token}`).expect(404);
    await request(t.url).get('/embedded/dashboard').query({ 'embedded-token': token, 'workspace-id': 'proj-1', 'dashboard-id': dashboardId });

    const { text, samples } = await scrape(t.url);
    const delta = (labels: Record<string, string>): number =>
      valueOf(samples, 'tessera_http_requests_total', labels) - valueOf(before, 'tessera_http_requests_total', labels);
    expect(delta({ method: 'GET', route: '/api/v1/tenants/:tenantId', status: '200' })).toBe(2);
    expect(delta({ method: 'POST', route: '/api/v1/tokens', status: '200' })).toBe(1);
    expect(delta({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(valueOf(samples, 'tessera_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/tenants/:tenantId', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, 'tessera_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/tenants/:tenantId', status: '200', le: '+Inf' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, 'tessera_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/tenants/:tenantId', status: '200', le: '0.001' })).toBeGreaterThanOrEqual(0);

    const routes = new Set(samples.filter((s) => s.name === 'tessera_http_requests_total').map((s) => s.labels.route));
    for (const route of routes) expect(route === 'unmatched' || route.startsWith('/')).toBe(true);
    expect(routes.has('/metrics')).toBe(false);
    for (const secret of ['org-123', 'q-secret-in-query', 'no-such-route', token, token.split('.')[2], dashboardId, dashboardSecret]) {
      expect(text).not.toContain(secret);
    }
  });

  it('should not count its own scrapes', async () => {
    await scrape(t.url);
    const { samples } = await scrape(t.url);
    expect(samples.filter((s) => s.labels.route === '/metrics')).toEqual([]);
  });

  it('should count tokens issued, validated (by outcome) and revoked (by kind)', async () => {
    const before = (await scrape(t.url)).samples;
    const token = await issue();
    const second = await issue();
    await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    await request(t.url).post('/api/v1/tokens/validate').send({ token: 'not-a-token' }).expect(401);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const expired = await t.app.get(SigningKeysService).sign({ ...claims, iat: now - 4000, nbf: now - 4000, exp: now - 600 });
    expect((await request(t.url).post('/api/v1/tokens/validate').send({ token: expired }).expect(401)).body.code).toBe('TOKEN_EXPIRED');
    await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${second}`).expect(200);
    await request(t.url).post('/api/v1/tenants/org-123/tokens/revoke').set(admin).expect(200);

    const { samples } = await scrape(t.url);
    const delta = (name: string, labels: Record<string, string>): number => valueOf(samples, name, labels) - valueOf(before, name, labels);
    expect(delta('tessera_tokens_issued_total', { type: 'dashboard' })).toBe(2);
    expect(delta('tessera_tokens_issued_total', { type: 'project' })).toBe(0);
    expect(delta('tessera_tokens_validated_total', { outcome: 'valid' })).toBe(1);
    expect(delta('tessera_tokens_validated_total', { outcome: 'invalid' })).toBe(1);
    expect(delta('tessera_tokens_validated_total', { outcome: 'expired' })).toBe(1);
    expect(delta('tessera_tokens_revoked_total', { kind: 'token' })).toBe(1);
    expect(delta('tessera_tokens_revoked_total', { kind: 'tenant' })).toBe(1);
  });

  it('should count a rate-limit rejection by the name of the limit', async () => {
    const before = (await scrape(t.url)).samples;
    const token = await issue();
    await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(200);
    await request(t.url).post('/api/v1/tokens/validate').send({ token }).expect(429);

    const { samples } = await scrape(t.url);
    const rejections = (labels: Record<string, string>): number =>
      valueOf(samples, 'tessera_rate_limit_rejections_total', labels) - valueOf(before, 'tessera_rate_limit_rejections_total', labels);
    expect(rejections({ limit: 'tokenValidation' })).toBe(1);
    expect(rejections({ limit: 'default' })).toBe(0);
    expect(valueOf(samples, 'tessera_http_requests_total', { method: 'POST', route: '/api/v1/tokens/validate', status: '429' })).toBeGreaterThanOrEqual(1);
  });

  it('should count papermap calls by outcome and report an open circuit by api origin only', async () => {
    const before = (await scrape(t.url)).samples;
    await createWorkspace(t.url, admin, {
      id: 'pm-ws',
      name: 'Papermap',
      provider: 'papermap',
      api_url: `${fake.url}/metrics-case`,
      api_key_id: 'ak_remote',
      secret_key: 'sk_papermap_very_secret_value_123',
    });
    const create = (tenant: string) => request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: tenant, workspace_id: 'pm-ws', name: 'D' });

    fake.reset((_req, res) => json(res, 401, { error: 'bad signature' }));
    expect((await create('pm-1').expect(502)).body.code).toBe('UPSTREAM_AUTH_FAILED');
    fake.reset((_req, res) => json(res, 201, { data: { data: { dashboard_id: 'pm-dash-1' } } }));
    await create('pm-2').expect(201);
    // Five failures in a row open the circuit for this api_url; the sixth call is refused without a request.
    fake.reset((_req, res) => json(res, 500, { error: 'boom' }));
    for (let i = 0; i < 5; i += 1) expect((await create(`pm-fail-${i}`).expect(502)).body.code).toBe('UPSTREAM_ERROR');
    expect((await create('pm-refused').expect(503)).body.code).toBe('UPSTREAM_UNAVAILABLE');

    const { text, samples } = await scrape(t.url);
    const calls = (outcome: string): number => {
      const labels = { provider: 'papermap', operation: 'create_dashboard', outcome };
      return valueOf(samples, 'tessera_provider_calls_total', labels) - valueOf(before, 'tessera_provider_calls_total', labels);
    };
    expect(calls('auth_failed')).toBe(1);
    expect(calls('ok')).toBe(1);
    expect(calls('error')).toBe(5);
    expect(calls('unavailable')).toBe(1);
    expect(valueOf(samples, 'tessera_provider_circuit_open', { api_origin: fake.url })).toBe(1);
    expect(text).not.toContain('/metrics-case');
    expect(text).not.toContain('sk_papermap_very_secret_value_123');
  });

  it('should be documented in the OpenAPI document as text/plain', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body;
    const operation = doc.paths['/metrics'].get;
    expect(operation.tags).toEqual(['metrics']);
    expect(operation.summary).toMatch(/Prometheus/);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/plain']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '404']));
  });
});

describe('GET /metrics with METRICS_ENABLED=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('should answer 404 NOT_FOUND in the envelope', async () => {
    const res = await request(t.url).get('/metrics').expect(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'mt-8fK2pQ7vX1zR4wN9sL3bH6yD0cJ5';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
  });
  afterAll(() => t.close());

  it('should answer 401 UNAUTHORIZED without the token, with a wrong one or in another scheme', async () => {
    const caller = await callerToken({ org: 'acme', role: 'admin' });
    for (const authorization of [
      undefined,
      'Bearer ',
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.toUpperCase()}`,
      `Basic ${Buffer.from(`prometheus:${METRICS_TOKEN}`).toString('base64')}`,
      `${METRICS_TOKEN}`,
      // A valid caller JWT is not the metrics token.
      `Bearer ${caller}`,
    ]) {
      const req = request(t.url).get('/metrics');
      const res = await (authorization === undefined ? req : req.set('Authorization', authorization)).expect(401);
      expect(res.body).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
      expect(res.text).not.toContain('tessera_');
    }
  });

  it('should answer 200 with the token as a Bearer credential', async () => {
    const { text } = await scrape(t.url, { Authorization: `Bearer ${METRICS_TOKEN}` });
    expect(text).toContain('tessera_http_requests_total');
    expect(text).not.toContain(METRICS_TOKEN);
  });
});

describe('two applications in one process', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('should not share counters', async () => {
    const before = valueOf((await scrape(b.url)).samples, 'tessera_http_requests_total', { route: '/health/live' });
    for (let i = 0; i < 3; i += 1) await request(a.url).get('/health/live').expect(200);
    const countA = valueOf((await scrape(a.url)).samples, 'tessera_http_requests_total', { method: 'GET', route: '/health/live', status: '200' });
    const countB = valueOf((await scrape(b.url)).samples, 'tessera_http_requests_total', { route: '/health/live' });
    expect(countA).toBe(3);
    expect(countB).toBe(before);
  });
});
