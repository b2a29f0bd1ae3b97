import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, OperationObject, PathItemObject, ResponseObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '../errors/error-code';
import { APP_VERSION } from '../version';
import { codesOf, errorResponse } from './error-responses';

/** The OpenAPI security scheme of the built-in provider's HMAC API. */
export const HMAC_SECURITY_SCHEME = 'hmac';
/** The OpenAPI security scheme of an embed token sent as a Bearer credential (Tokens API). */
export const EMBED_TOKEN_SECURITY_SCHEME = 'embedToken';

const DESCRIPTION = `Tessera gives each of your customers (tenants) an embedded analytics dashboard and hands out
short-lived embed tokens that carry row-, connection- and schema-level security policies.

## Envelope
Every JSON response uses one envelope: \`{"success": true, "data": …}\` (lists add \`total\`) or
\`{"success": false, "error": "…", "code": "…", "details"?: […], "request_id": "…"}\`. A 204 has no body.
Every response carries an \`X-Request-Id\` header. Each operation lists the error \`code\`s it can answer with.

## Authentication
- **Caller JWT** (\`bearer\`): the management API (\`/api/v1/tenants\`, \`workspaces\`, \`dashboards\`, \`api-keys\`,
  \`audit-events\`) needs \`Authorization: Bearer <JWT>\` issued by your identity provider, with the claims \`org\`,
  \`role\` (\`admin\` or \`member\`) and, for members, \`tenants\`.
- **Dashboard or project secret in the body**: \`POST /api/v1/tokens\` (the Tokens API) needs no header.
- **Embed token** (\`embedToken\`): \`POST /api/v1/tokens/validate\` (or the token in the body) and \`POST /api/v1/tokens/invalidate\`.
- **HMAC headers** (\`hmac\`): the built-in provider's Papermap-compatible API under \`/api/v1/external\`.
- **None**: health probes, the JWK Set, and the embed page and its helper script.

## Limits
Every route is rate limited (429 \`RATE_LIMIT_EXCEEDED\` with \`Retry-After\` and \`RateLimit-*\` headers); request
bodies are JSON of at most 100 KB; lists take \`skip\` and \`limit\` (at most 100).`;

/** One tag per module, in the order Swagger UI shows them. */
const TAGS: Array<[name: string, description: string]> = [
  ['tenants', 'Your customers. Admins manage them; members see the tenants in their `tenants` claim.'],
  ['workspaces', 'Connections to an analytics provider (`builtin` or `papermap`) and their project secrets. Admins only.'],
  ['semantic-domains', 'Named slices of a workspace that project tokens may be limited to. Admins only.'],
  ['dashboards', "One dashboard per tenant, created at the workspace's provider, and iframe tokens to embed it."],
  ['tokens', 'The Tokens API: dashboard and project embed tokens, their validation and revocation.'],
  ['api-keys', "Key pairs for the built-in provider's HMAC API. Admins only."],
  ['audit', 'Token issuance, failed validations and revocations. Admins only.'],
  ['external', "The built-in provider's Papermap-compatible API, authenticated by HMAC headers."],
  ['embed', "The built-in provider's embed page and its host-page helper."],
  ['jwks', "The public keys that verify Tessera's embed tokens."],
  ['metrics', 'Prometheus metrics of one instance.'],
  ['health', 'Liveness and readiness probes.'],
];

/** Path parameters mean the same on every route; documented here once. */
const PATH_PARAMETERS: Record<string, { description: string; example: string }> = {
  tenantId: { description: 'Your tenant id.', example: 'org-123' },
  workspaceId: { description: 'The workspace id.', example: 'workspace-456' },
  domainId: { description: 'The semantic domain id (UUID).', example: '7d2b9c4e-1f3a-4b6d-8e5c-2a1f0e9d8c7b' },
  apiKeyId: { description: 'The `ak_…` API key id.', example: 'ak_7Hq2Lm9Xv4Rt8Kp3Ws6Yb1Nc' },
  dashboardId: { description: "The dashboard's `dashboard_id`.", example: 'dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19' },
};

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'] as const;
const OPERATION_ORDER = ['tags', 'summary', 'description', 'operationId', 'security', 'parameters', 'requestBody', 'responses'];
const TOP_LEVEL_ORDER = ['openapi', 'info', 'servers', 'tags', 'security', 'paths', 'components'];

/**
 * Builds the OpenAPI document from the controllers and DTOs (the CLI plugin reads their types and
 * comments), adds the errors every route shares, and puts it in a stable order: this is what
 * `/docs-json` serves and what `npm run openapi` commits as `openapi.json`.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Tessera API')
    .setDescription(DESCRIPTION)
    .setVersion(APP_VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'The Tessera deployment that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Caller JWT issued by your identity provider' })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A Tessera embed token (from `POST /api/v1/tokens` or `POST /api/v1/dashboards/iframe-token`), not a caller JWT',
      },
      EMBED_TOKEN_SECURITY_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Signature',
        description:
          'HMAC API (built-in provider): send X-API-Key-ID, X-Workspace-ID, X-Valid-Until (unix seconds, ≤ 1 h ahead) and ' +
          'X-Signature = lowercase hex HMAC-SHA256(workspace_id + valid_until) keyed by the API key secret.',
      },
      HMAC_SECURITY_SCHEME,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);

  const document = SwaggerModule.createDocument(app, builder.build(), {
    // Unique and readable as generated method names: TenantsController.create → tenantsCreate.
    operationIdFactory: (controllerKey, methodKey) => {
      const prefix = controllerKey.replace(/Controller$/, '');
      return `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
    },
  });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHOD_ORDER) {
      const operation = item[method];
      if (operation) completeOperation(path, operation);
    }
  }
  shareErrorResponses(document);
  if (document.info.contact && Object.keys(document.info.contact).length === 0) delete document.info.contact;
  return canonicalOrder(document);
}

/** Serves Swagger UI at /docs and the document at /docs-json, unless DOCS_ENABLED=false. */
export function setupSwagger(app: INestApplication, enabled: boolean): void {
  if (!enabled) return;
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    customSiteTitle: 'Tessera API',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** The committed form of the document (`openapi.json`): 2-space JSON and a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * What no decorator says per route: the errors that every route can answer with (rate limit,
 * server error; database down under /api; malformed, oversized or non-JSON bodies), and an
 * explicit empty `security` on routes that need no credentials.
 */
function completeOperation(path: string, operation: OperationObject): void {
  const add = (status: number, ...codes: ErrorCode[]): void => {
    operation.responses[status] = errorResponse(status, [...codesOf(operation.responses[status]), ...codes]);
  };
  // Rebuilt: error envelopes are JSON whatever the route produces, and two decorators for one
  // status merge their examples but not their `code` enums.
  for (const [status, response] of Object.entries(operation.responses)) {
    const codes = codesOf(response);
    if (codes.length === 0) continue;
    const exampleCodes = Object.values((response as ResponseObject).content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}));
    operation.responses[status] = errorResponse(Number(status), [...codes, ...(exampleCodes.filter((c) => ERROR_CODES.includes(c as ErrorCode)) as ErrorCode[])]);
  }
  add(429, ErrorCode.RATE_LIMIT_EXCEEDED);
  if (path.startsWith('/api/')) add(503, ErrorCode.SERVICE_UNAVAILABLE);
  if (operation.requestBody) {
    add(400, ErrorCode.VALIDATION_ERROR);
    add(413, ErrorCode.PAYLOAD_TOO_LARGE);
    add(415, ErrorCode.VALIDATION_ERROR);
  }
  add(500, ErrorCode.SERVER_ERROR);
  operation.responses = sortKeys(operation.responses);
  operation.security ??= [];
  // `@Headers('authorization')` is not a parameter: credentials are the security schemes' business
  // (OpenAPI ignores such a parameter, and generators would make it required).
  operation.parameters = operation.parameters?.filter((p) => !('in' in p && p.in === 'header' && p.name.toLowerCase() === 'authorization'));
  for (const parameter of operation.parameters ?? []) {
    if (!('in' in parameter) || parameter.in !== 'path' || !PATH_PARAMETERS[parameter.name]) continue;
    parameter.description ??= PATH_PARAMETERS[parameter.name].description;
    parameter.example ??= PATH_PARAMETERS[parameter.name].example;
  }
}

/**
 * Each distinct error response (status and codes) is written once under `components/responses`,
 * named after them (`Error422ValidationError`), and referenced from the operations.
 */
function shareErrorResponses(document: OpenAPIObject): void {
  const shared: Record<string, ResponseObject> = {};
  for (const item of Object.values(document.paths)) {
    for (const method of METHOD_ORDER) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        const codes = codesOf(response);
        if (codes.length === 0) continue;
        const name = `Error${status}${codes.map(pascalCase).join('Or')}`;
        shared[name] = response as ResponseObject;
        operation.responses[status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
  document.components = { ...document.components, responses: { ...document.components?.responses, ...shared } };
}

function pascalCase(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Top-level keys in the usual order; paths, methods, responses and components sorted. */
function canonicalOrder(document: OpenAPIObject): OpenAPIObject {
  const paths: Record<string, PathItemObject> = {};
  for (const path of Object.keys(document.paths).sort()) {
    const item = document.paths[path] as Record<string, unknown>;
    const known = METHOD_ORDER.filter((m) => m in item);
    const rest = Object.keys(item).filter((k) => !(METHOD_ORDER as readonly string[]).includes(k)).sort();
    paths[path] = Object.fromEntries([...rest.map((k) => [k, item[k]]), ...known.map((k) => [k, inOrder(item[k] as Record<string, unknown>, OPERATION_ORDER)])]) as PathItemObject;
  }
  const components = document.components ?? {};
  const sortedComponents = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((k) => [k, sortKeys(components[k as keyof typeof components] as Record<string, unknown>)]),
  );
  return inOrder({ ...document, paths, components: sortedComponents }, TOP_LEVEL_ORDER) as unknown as OpenAPIObject;
}

/** The keys named in `order` first, in that order, then the others alphabetically. */
function inOrder(record: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const keys = [...order.filter((k) => k in record), ...Object.keys(record).filter((k) => !order.includes(k)).sort()];
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}
