import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';
import { APP_VERSION } from '../version';
import { errorEnvelopeSchema } from './api-envelope.decorators';

/** The OpenAPI security scheme of the built-in provider's HMAC API. */
export const HMAC_SECURITY_SCHEME = 'hmac';

const DESCRIPTION = `Tessera gives each of your customers (tenants) an embedded analytics dashboard and hands out
short-lived embed tokens that carry row-, connection- and schema-level security policies.

Every JSON response uses one envelope: \`{"success": true, "data": …}\` (lists add \`total\`) or
\`{"success": false, "error": "…", "code": "…", "details"?: […], "request_id": "…"}\`.
Every response carries an \`X-Request-Id\` header.`;

/** Builds the OpenAPI document from the controllers and DTOs (the CLI plugin reads their types and comments). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera API')
    .setDescription(DESCRIPTION)
    .setVersion(APP_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Caller JWT issued by your identity provider' })
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
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // Unique and readable as generated method names: TenantsController.create → tenantsCreate.
    operationIdFactory: (controllerKey, methodKey) => {
      const prefix = controllerKey.replace(/Controller$/, '');
      return `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
    },
  });
  addServerErrorToEveryOperation(document);
  return document;
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

function addServerErrorToEveryOperation(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      operation.responses['500'] ??= {
        description: ErrorCode.SERVER_ERROR,
        content: { 'application/json': { schema: errorEnvelopeSchema([ErrorCode.SERVER_ERROR]) } },
      };
    }
  }
}
