import request from 'supertest';
import { ProbeModule } from '../support/probe.module';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('envelope and errors (PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { imports: [ProbeModule] });
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  it('should wrap a result in {success: true, data} and send an X-Request-Id', async () => {
    const res = await request(t.url).get('/health/live').expect(200);
    expect(res.body).toEqual({ success: true, data: { status: 'ok', uptime_seconds: expect.any(Number), version: expect.any(String) } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should reuse a well-formed incoming X-Request-Id and replace a hostile one', async () => {
    const kept = await request(t.url).get('/health/live').set('X-Request-Id', 'lb-1234abcd.5678').expect(200);
    expect(kept.headers['x-request-id']).toBe('lb-1234abcd.5678');
    const replaced = await request(t.url).get('/nope').set('X-Request-Id', 'a"b\\c <script>'.repeat(3)).expect(404);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.request_id).toBe(replaced.headers['x-request-id']);
  });

  it('should list a Page as data plus total', async () => {
    const res = await request(t.url).get('/probe/list').expect(200);
    expect(res.body).toEqual({ success: true, data: [{ n: 1 }, { n: 2 }], total: 42 });
  });

  it('should send 204 with no body', async () => {
    const res = await request(t.url).delete('/probe').expect(204);
    expect(res.text).toBe('');
  });

  it('should answer an unknown route with 404 NOT_FOUND in the envelope', async () => {
    const res = await request(t.url).get('/api/v1/does-not-exist').expect(404);
    expect(res.body).toEqual({
      success: false,
      error: expect.stringContaining('/api/v1/does-not-exist'),
      code: 'NOT_FOUND',
      request_id: res.headers['x-request-id'],
    });
  });

  it('should answer malformed JSON with 400 VALIDATION_ERROR', async () => {
    const res = await request(t.url).post('/probe').set('Content-Type', 'application/json').send('{"name": "a",').expect(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', error: 'Malformed JSON in request body' });
  });

  it('should answer an empty JSON body with 400 VALIDATION_ERROR', async () => {
    const res = await request(t.url).post('/probe').set('Content-Type', 'application/json').send('').expect(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
  });

  it('should refuse prototype-poisoning keys as malformed', async () => {
    const res = await request(t.url)
      .post('/probe')
      .set('Content-Type', 'application/json')
      .send('{"name":"a","__proto__":{"admin":true}}')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
  });

  it('should answer a body over 100 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(t.url)
      .post('/probe')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'a', pad: 'x'.repeat(101 * 1024) }))
      .expect(413);
    expect(res.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE', request_id: expect.any(String) });
  });

  it('should answer deeply nested JSON with 422 VALIDATION_ERROR', async () => {
    const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
    const res = await request(t.url).post('/probe').set('Content-Type', 'application/json').send(deep).expect(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', error: expect.stringContaining('nested deeper') });
  });

  it('should answer JSON with too many values with 422 VALIDATION_ERROR', async () => {
    const res = await request(t.url)
      .post('/probe')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'a', list: Array.from({ length: 20_000 }, () => 0) }))
      .expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
  });

  it('should answer a non-JSON content type with 415 VALIDATION_ERROR', async () => {
    const res = await request(t.url).post('/probe').set('Content-Type', 'application/x-www-form-urlencoded').send('name=a').expect(415);
    expect(res.body.code).toBe('VALIDATION_ERROR');
  });

  it('should refuse unknown fields with 422 and per-field details', async () => {
    const res = await request(t.url).post('/probe').send({ name: 'ok', organization_id: 'evil', created_by: 'x' }).expect(422);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'organization_id', message: 'unknown field' },
        { field: 'created_by', message: 'unknown field' },
      ]),
    );
  });

  it('should name each invalid field, nested ones by path', async () => {
    const res = await request(t.url).post('/probe').send({ name: '', count: 99, owner: { name: 7 } }).expect(422);
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['count', 'name', 'owner.name']);
  });

  it('should pass a valid body through, typed', async () => {
    const res = await request(t.url).post('/probe').send({ name: 'ok', count: 3, owner: { name: 'o' } }).expect(201);
    expect(res.body).toEqual({ success: true, data: { name: 'ok', count: 3, owner: { name: 'o' } } });
  });

  it('should map a unique violation to 409 CONFLICT', async () => {
    const res = await request(t.url).get('/probe/duplicate').expect(409);
    expect(res.body).toMatchObject({ success: false, code: 'CONFLICT' });
    expect(JSON.stringify(res.body)).not.toMatch(/installation|duplicate key|INSERT/i);
  });

  it('should answer an unexpected error with a 500 SERVER_ERROR that reveals nothing, and log it with the request id', async () => {
    const res = await request(t.url).get('/probe/boom').expect(500);
    expect(res.body).toEqual({ success: false, error: 'Internal server error', code: 'SERVER_ERROR', request_id: res.headers['x-request-id'] });
    const logged = t.logs.entries().find((e) => e.msg === 'unhandled error' && e.requestId === res.body.request_id);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('boom');
  });

  it('should not leak SQL from a failed query', async () => {
    const res = await request(t.url).get('/probe/sql-error').expect(500);
    expect(res.body.code).toBe('SERVER_ERROR');
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|table_that_does_not_exist|relation/i);
  });

  it('should send security headers', async () => {
    const res = await request(t.url).get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('should never log an Authorization header, a signature or a secret-named body field', async () => {
    await request(t.url)
      .post('/probe')
      .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.very-secret-caller-token')
      .set('X-Signature', 'deadbeefcafebabe-signature')
      .send({ name: 'ok', secret_key: 'sk_live_should_never_be_logged' })
      .expect(422);
    await request(t.url).get('/probe/boom').set('Authorization', 'Bearer another-secret-token').expect(500);
    const text = t.logs.text();
    expect(text).toContain('request completed');
    for (const secret of ['very-secret-caller-token', 'deadbeefcafebabe', 'sk_live_should_never_be_logged', 'another-secret-token']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('CORS from configuration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(() => t.close());

  it('should allow a configured origin', async () => {
    const res = await request(t.url)
      .options('/health/live')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('should not allow another origin', async () => {
    const res = await request(t.url).get('/health/live').set('Origin', 'https://evil.example.net').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
