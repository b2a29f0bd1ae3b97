import request from 'supertest';
import { ERROR_CODES } from '../../src/common/errors/error-code';
import { createOpenApiDocument, serializeOpenApiDocument } from '../../src/common/swagger/swagger.setup';
import { startTestApp, TestApp } from '../support/test-app';

/** The document is walked as plain JSON. */
type Json = any;

interface Operation {
  path: string;
  method: string;
  op: Json;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'];

function operationsOf(doc: Json): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** Follows a local `$ref` (`#/components/...`). */
function resolve(doc: Json, value: Json): Json {
  if (!value || typeof value.$ref !== 'string') return value;
  return value.$ref
    .slice(2)
    .split('/')
    .reduce((node: Json, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/** The security an operation must declare, by who calls it (SPEC §3). */
function expectedSecurity({ path, op }: Operation): Json {
  // Public by nature: probes, keys, the embed page and its helper, metrics (their own optional token).
  if (/^\/(health|\.well-known|embedded)\//.test(path) || path === '/embed.js' || path === '/metrics') return [];
  if (path.startsWith('/api/v1/external/')) return [{ hmac: [] }];
  // The Tokens API: secrets in the body, or the embed token itself.
  if (op.operationId === 'tokensGenerate') return [];
  if (op.operationId === 'tokensValidate') return [{ embedToken: [] }, {}];
  if (op.operationId === 'tokensInvalidate') return [{ embedToken: [] }];
  return [{ bearer: [] }];
}

/** Everything an integrator needs from one operation, as a list of what is missing. */
function problemsOf(doc: Json, operation: Operation): string[] {
  const { op } = operation;
  const at = `${operation.method.toUpperCase()} ${operation.path} (${op.operationId})`;
  const problems: string[] = [];
  const problem = (what: string): number => problems.push(`${at}: ${what}`);

  if (!op.summary?.trim()) problem('no summary');
  if (!op.description?.trim()) problem('no description');
  if (!Array.isArray(op.tags) || op.tags.length === 0) problem('no tags');
  for (const tag of op.tags ?? []) if (!doc.tags.some((t: Json) => t.name === tag)) problem(`tag ${tag} is not declared with a description`);
  if (!/^[a-z][a-zA-Z0-9]*$/.test(op.operationId ?? '')) problem(`operationId ${op.operationId} is not camelCase`);
  if (JSON.stringify(op.security) !== JSON.stringify(expectedSecurity(operation))) {
    problem(`security ${JSON.stringify(op.security)}, expected ${JSON.stringify(expectedSecurity(operation))}`);
  }

  for (const parameter of op.parameters ?? []) {
    if (!resolve(doc, parameter).description?.trim()) problem(`${parameter.in} parameter ${parameter.name} has no description`);
  }

  const statuses = Object.keys(op.responses ?? {});
  const success = statuses.filter((s) => /^2\d\d$/.test(s)).map((s) => [s, resolve(doc, op.responses[s])] as const);
  // Pages, scripts and metrics are not JSON: they declare their media type, and need no JSON schema.
  const notJson = success.some(([, r]) => Object.keys(r.content ?? {}).length > 0 && Object.keys(r.content).every((m) => !m.includes('json')));
  for (const [status, response] of success) {
    if (status === '204') {
      if (response.content) problem('204 has a body');
    } else if (!notJson && !response.content?.['application/json']?.schema) {
      problem(`${status} has no schema (JSON routes: @ApiEnvelope; others: declare the media type, e.g. text/html)`);
    }
  }
  if (!statuses.includes('500')) problem('500 is not documented');
  if (!statuses.some((s) => /^4\d\d$/.test(s))) problem('no 4xx is documented');
  for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
    const media = resolve(doc, op.responses[status]).content?.['application/json'];
    if (notJson && !media) continue; // e.g. the embed page's HTML error pages
    const [envelope, narrowed] = media?.schema?.allOf ?? [];
    const codes: string[] = narrowed?.properties?.code?.enum ?? [];
    if (envelope?.$ref !== '#/components/schemas/ErrorEnvelopeDto') problem(`${status} is not the error envelope`);
    if (codes.length === 0) problem(`${status} names no error code`);
    for (const code of codes) {
      if (!ERROR_CODES.includes(code as never)) problem(`${status} names an unknown code ${code}`);
      const example = media?.examples?.[code]?.value;
      if (example?.code !== code || example?.success !== false || !example?.error) problem(`${status} has no example for ${code}`);
    }
  }

  if (op.requestBody) {
    const media = resolve(doc, op.requestBody).content?.['application/json'];
    if (!media?.schema) problem('the request body has no JSON schema');
    const schema = resolve(doc, media?.schema);
    const everyFieldHasExample = Object.values(schema?.properties ?? { none: {} }).every((p: Json) => p.example !== undefined);
    if (media?.example === undefined && Object.keys(media?.examples ?? {}).length === 0 && !everyFieldHasExample) {
      problem('the request body has no example');
    }
  }
  return problems;
}

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  let doc: Json;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.url).get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('should serve an OpenAPI 3 document generated from the DTOs at /docs-json', async () => {
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
    expect(resolve(doc, ready.responses['503']).content['application/json'].schema.allOf[1].properties.code.enum).toEqual(['SERVICE_UNAVAILABLE']);
    expect(ready.summary).toMatch(/Readiness/);
  });

  it('should give every operation a unique, readable operationId and the security its callers need', async () => {
    const operations = operationsOf(doc);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['healthLive', 'tenantsCreate', 'workspacesRotateProjectSecret', 'tokensGenerate']));
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'embedToken', 'hmac']);
    const wrong = operations
      .filter((operation) => JSON.stringify(operation.op.security) !== JSON.stringify(expectedSecurity(operation)))
      .map(({ path, method, op }) => `${method.toUpperCase()} ${path}: ${JSON.stringify(op.security)}`);
    expect(wrong).toEqual([]);
  });

  it('should document every operation completely: summary, description, tags, parameters, schemas, errors with examples, request examples', async () => {
    const problems = operationsOf(doc).flatMap((operation) => problemsOf(doc, operation));
    expect(problems).toEqual([]);
  });

  it('should document the Tokens API with named request examples and the policy shapes', async () => {
    const generate = doc.paths['/api/v1/tokens'].post;
    expect(Object.keys(generate.requestBody.content['application/json'].examples)).toEqual(['dashboard', 'project']);
    expect(resolve(doc, generate.responses['422']).content['application/json'].schema.allOf[1].properties.code.enum).toEqual([
      'VALIDATION_ERROR',
      'INVALID_SECURITY_POLICY',
    ]);
    expect(doc.components.schemas.RowPolicyDto.properties.operator.enum).toEqual(expect.arrayContaining(['eq', 'in', 'between', 'is_null']));
    expect(doc.components.schemas.GenerateTokenDto.properties.rcls.oneOf[0].$ref).toBe('#/components/schemas/RowPolicyDto');
  });

  it('should list exactly the error codes the server uses, so generated clients get the whole union', async () => {
    expect(doc.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
  });

  it('should build the same document, byte for byte, every time (what npm run openapi commits)', async () => {
    const first = serializeOpenApiDocument(createOpenApiDocument(t.app));
    expect(serializeOpenApiDocument(createOpenApiDocument(t.app))).toBe(first);
    expect(JSON.parse(first)).toEqual(doc);
    expect(first.endsWith('}\n')).toBe(true);
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
