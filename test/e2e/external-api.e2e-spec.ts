import request from 'supertest';
import { bearer, callerToken } from '../support/caller-tokens';
import { createApiKey, createWorkspace, hmacHeaders } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe("built-in provider's HMAC API and API keys", () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let key: { api_key_id: string; secret_key: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
  });
  beforeEach(async () => {
    await resetDatabase(t.dataSource);
    await createWorkspace(t.url, admin, { id: 'ws-1', name: 'B', provider: 'builtin' });
    key = await createApiKey(t.url, admin);
  });
  afterAll(() => t.close());

  const body = { workspace_id: 'ws-1', title: 'Sales', description: 'Q4' };
  const post = (headers: Record<string, string>, payload: Record<string, unknown> = body) =>
    request(t.url).post('/api/v1/external/dashboards').set(headers).send(payload);
  const expectInvalid = async (headers: Record<string, string>, payload?: Record<string, unknown>): Promise<void> => {
    const res = await post(headers, payload).expect(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_CREDENTIALS', error: 'Invalid API key, signature or validity window' });
  };

  it('should issue API keys whose secret is shown once and kept sealed', async () => {
    expect(key.api_key_id).toMatch(/^ak_[0-9a-f]{32}$/);
    expect(key.secret_key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    const list = await request(t.url).get('/api/v1/api-keys').set(admin).expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.data[0]).toEqual({ api_key_id: key.api_key_id, name: 'test', created_at: expect.any(String) });
    const [row] = await t.dataSource.query('SELECT * FROM api_keys');
    expect(JSON.stringify(row)).not.toContain(key.secret_key);
    expect(t.logs.text()).not.toContain(key.secret_key);
    await request(t.url).get('/api/v1/api-keys').set(bearer(await callerToken({ org: 'acme', role: 'member' }))).expect(403);
    expect((await request(t.url).get('/api/v1/api-keys').set(otherAdmin).expect(200)).body.total).toBe(0);
    await request(t.url).delete(`/api/v1/api-keys/${key.api_key_id}`).set(otherAdmin).expect(404);
  });

  it('should create a dashboard for a request signed by an independent signer, in seed 000 shape', async () => {
    const res = await post(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key)).expect(201);
    expect(res.body).toEqual({
      success: true,
      data: { data: { dashboard_id: expect.stringMatching(/^dash_/), workspace_id: 'ws-1', title: 'Sales', description: 'Q4', created_at: expect.any(String) } },
    });
    const [row] = await t.dataSource.query('SELECT organization_id, workspace_id FROM builtin_dashboards');
    expect(row).toEqual({ organization_id: 'acme', workspace_id: 'ws-1' });
  });

  it('should delete a dashboard of the signed workspace, then answer 404', async () => {
    const created = await post(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key)).expect(201);
    const id = created.body.data.data.dashboard_id;
    await request(t.url).delete(`/api/v1/external/dashboards/${id}`).set(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key)).expect(204);
    await request(t.url).delete(`/api/v1/external/dashboards/${id}`).set(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key)).expect(404);
  });

  it('should refuse a wrong signature, including odd lengths and non-hex, without a 500', async () => {
    const headers = hmacHeaders(key.api_key_id, 'ws-1', key.secret_key);
    const flipped = headers['X-Signature'].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const signature of [flipped, headers['X-Signature'].slice(2), `${headers['X-Signature']}00`, 'zz', 'x'.repeat(64), headers['X-Signature'].toUpperCase()]) {
      await expectInvalid({ ...headers, 'X-Signature': signature });
    }
    await expectInvalid(hmacHeaders(key.api_key_id, 'ws-1', 'sk_wrong_secret'));
  });

  it('should refuse an unknown or revoked key', async () => {
    await expectInvalid(hmacHeaders('ak_00000000000000000000000000000000', 'ws-1', key.secret_key));
    await post(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key)).expect(201);
    await request(t.url).delete(`/api/v1/api-keys/${key.api_key_id}`).set(admin).expect(204);
    await expectInvalid(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key));
    expect((await request(t.url).get('/api/v1/api-keys').set(admin).expect(200)).body.total).toBe(0);
  });

  it('should refuse an expired or more than 1 h ahead X-Valid-Until, and a malformed one', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key, now - 5));
    await expectInvalid(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key, now + 3_700));
    await post(hmacHeaders(key.api_key_id, 'ws-1', key.secret_key, now + 3_500)).expect(201);
    const headers = hmacHeaders(key.api_key_id, 'ws-1', key.secret_key);
    for (const validUntil of ['soon', '-1', '1e12', '']) await expectInvalid({ ...headers, 'X-Valid-Until': validUntil });
  });

  it('should refuse a signature made for another workspace, and a body that names another workspace', async () => {
    await createWorkspace(t.url, admin, { id: 'ws-2', name: 'B2', provider: 'builtin' });
    const forWs1 = hmacHeaders(key.api_key_id, 'ws-1', key.secret_key);
    await expectInvalid({ ...forWs1, 'X-Workspace-ID': 'ws-2' });
    const mismatch = await post(hmacHeaders(key.api_key_id, 'ws-2', key.secret_key), body).expect(422);
    expect(mismatch.body.details[0].field).toBe('workspace_id');
  });

  it("should refuse a workspace the key's organization does not own, or one that is not builtin", async () => {
    await createWorkspace(t.url, otherAdmin, { id: 'globex-ws', name: 'G', provider: 'builtin' });
    await expectInvalid(hmacHeaders(key.api_key_id, 'globex-ws', key.secret_key), { ...body, workspace_id: 'globex-ws' });
    await createWorkspace(t.url, admin, { id: 'pm', name: 'P', provider: 'papermap', api_key_id: 'k', secret_key: 's' });
    await expectInvalid(hmacHeaders(key.api_key_id, 'pm', key.secret_key), { ...body, workspace_id: 'pm' });
  });

  it('should refuse requests without the four headers, and never need a caller JWT', async () => {
    const headers = hmacHeaders(key.api_key_id, 'ws-1', key.secret_key);
    for (const name of Object.keys(headers)) {
      const partial = { ...headers };
      delete partial[name];
      await expectInvalid(partial);
    }
    await expectInvalid({ ...admin });
  });
});
