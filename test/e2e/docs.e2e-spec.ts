import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('should serve an OpenAPI 3 document generated from the DTOs at /docs-json', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Tessera API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    // The CLI plugin filled the DTO schemas from their TypeScript types and comments.
    expect(doc.components.schemas.LivenessDto.properties.uptime_seconds).toMatchObject({ type: 'number', description: expect.any(String) });
    expect(doc.components.schemas.ReadinessDto.required).toEqual(expect.arrayContaining(['status', 'checks']));
    // The envelope is documented once and referenced.
    expect(doc.components.schemas.ErrorEnvelopeDto.properties.code.allOf[0].$ref).toBe('#/components/schemas/ErrorCode');
    expect(doc.components.schemas.ErrorCode.enum).toEqual(expect.arrayContaining(['NOT_FOUND', 'VALIDATION_ERROR', 'SERVER_ERROR']));
    const ready = doc.paths['/health/ready'].get;
    expect(ready.responses['200'].content['application/json'].schema.allOf[0].$ref).toBe('#/components/schemas/SuccessEnvelopeDto');
    expect(ready.responses['503'].content['application/json'].schema.allOf[1].properties.code.enum).toEqual(['SERVICE_UNAVAILABLE']);
    expect(ready.summary).toMatch(/Readiness/);
  });

  it('should give every operation a unique, readable operationId and the bearer scheme where a JWT is needed', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body;
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { operationId: string; security?: unknown }>).map(([method, op]) => ({ path, method, ...op })),
    );
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['healthLive', 'tenantsCreate', 'workspacesRotateProjectSecret']));
    for (const op of operations) {
      if (op.path.startsWith('/health/') || op.path.startsWith('/.well-known/')) expect(op.security).toBeUndefined();
      else if (op.path.startsWith('/api/v1/tokens')) continue; // credentials in the body, or the token as Bearer
      else if (op.path.startsWith('/api/v1/external/')) expect(op.security).toEqual([{ hmac: [] }]);
      else expect(op.security).toEqual([{ bearer: [] }]);
    }
  });

  it('should serve Swagger UI at /docs', async () => {
    const res = await request(t.url).get('/docs').redirects(1).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('swagger-ui');
  });
});

describe('with DOCS_ENABLED=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DOCS_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('should hide /docs and /docs-json', async () => {
    for (const path of ['/docs', '/docs-json']) {
      const res = await request(t.url).get(path).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });
});
