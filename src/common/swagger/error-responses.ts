import { getSchemaPath, HeaderObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ErrorDetail } from '../errors/app.exception';
import { ERROR_CODES, ERROR_STATUS, ErrorCode } from '../errors/error-code';
import { ErrorEnvelopeDto } from './envelope.dto';

interface ErrorDoc {
  /** When the code is sent, for the response's description. */
  when: string;
  /** A representative `error` message. */
  message: string;
  details?: ErrorDetail[];
}

/** What each code means (SPEC §7) and what a typical body says; the example bodies are built from it. */
const ERROR_DOCS: Record<ErrorCode, ErrorDoc> = {
  UNAUTHORIZED: { when: 'the caller JWT is missing, malformed, expired or not signed by a trusted key', message: 'Missing or invalid caller token' },
  FORBIDDEN: {
    when: 'the caller may not act on this tenant (has_access is false) or the route needs the admin role',
    message: 'You do not have access to this tenant',
  },
  NOT_FOUND: { when: 'the resource does not exist in your organization', message: 'Tenant not found' },
  VALIDATION_ERROR: {
    when: 'the request does not match the schema; `details` names each offending field',
    message: 'Request validation failed',
    details: [{ field: 'tenant_id', message: 'tenant_id must be 1-128 characters: letters, digits, . _ : - (not starting with a symbol)' }],
  },
  CONFLICT: { when: 'the resource already exists, or is still in use', message: 'A tenant with this id already exists' },
  PAYLOAD_TOO_LARGE: { when: 'the body is larger than the limit (`BODY_LIMIT`, default 100 KB)', message: 'Request body is too large' },
  INVALID_CREDENTIALS: {
    when: 'the dashboard or project secret, API key or HMAC signature is wrong',
    message: 'Invalid credentials',
  },
  TOKEN_EXPIRED: { when: 'the embed token is past its `exp`', message: 'Token expired' },
  INVALID_TOKEN: { when: 'the embed token is malformed, tampered with, revoked or for another audience', message: 'Invalid token' },
  INVALID_SECURITY_POLICY: {
    when: 'a `cls`, `rcls`, `sls`, `params` or `config` policy is refused; `details[0].field` names the offending path',
    message: 'Invalid security policy at rcls[0].operator: must be one of eq, neq, in, not_in, gt, gte, lt, lte, between, is_null, not_null',
    details: [{ field: 'rcls[0].operator', message: 'must be one of eq, neq, in, not_in, gt, gte, lt, lte, between, is_null, not_null' }],
  },
  RATE_LIMIT_EXCEEDED: { when: 'too many requests; wait `Retry-After` seconds', message: 'Too many requests; retry in 42 s' },
  UPSTREAM_AUTH_FAILED: { when: 'the analytics provider refused the workspace credentials', message: 'The analytics provider rejected the workspace credentials' },
  UPSTREAM_ERROR: {
    when: 'the analytics provider failed (5xx, timeout, unreadable answer)',
    message: 'The analytics provider failed to answer correctly',
  },
  UPSTREAM_UNAVAILABLE: {
    when: 'the analytics provider is unavailable (circuit open, or it asked to back off); see `Retry-After`',
    message: 'The analytics provider is unavailable; try again later',
  },
  SERVICE_UNAVAILABLE: { when: 'the database is unreachable; retry after `Retry-After` seconds', message: 'The database is unavailable; try again shortly' },
  SERVER_ERROR: { when: 'an unexpected error; it is logged with the request id', message: 'Internal server error' },
};

/** Statuses at which a code means something narrower than its usual meaning. */
const ERROR_DOCS_AT_STATUS: Partial<Record<number, Partial<Record<ErrorCode, ErrorDoc>>>> = {
  400: {
    VALIDATION_ERROR: { when: 'the body is not valid JSON (malformed, empty, or with prototype-poisoning keys)', message: 'Malformed JSON in request body' },
  },
  415: {
    VALIDATION_ERROR: { when: 'the body is not `application/json`', message: 'Unsupported Media Type: text/plain' },
  },
};

const EXAMPLE_REQUEST_ID = '5f0c6f2e-8a4b-4d51-9a53-2f7e2b8c1d90';

const RETRY_AFTER: HeaderObject = { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } };
const HEADERS_AT_STATUS: Partial<Record<number, Record<string, HeaderObject>>> = {
  429: {
    'Retry-After': RETRY_AFTER,
    'RateLimit-Limit': { description: 'Requests allowed in the window.', schema: { type: 'integer' } },
    'RateLimit-Remaining': { description: 'Requests left in the window.', schema: { type: 'integer' } },
    'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
  },
  503: { 'Retry-After': RETRY_AFTER },
};

/** The status a code is sent with by default (VALIDATION_ERROR: 422). */
export function defaultStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** Codes in the order of ErrorCode, without duplicates, so generated documents are stable. */
export function sortCodes(codes: Iterable<ErrorCode>): ErrorCode[] {
  const set = new Set(codes);
  return ERROR_CODES.filter((code) => set.has(code));
}

export function errorEnvelopeSchema(codes: ErrorCode[]): SchemaObject {
  return {
    allOf: [{ $ref: getSchemaPath(ErrorEnvelopeDto) }, { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: sortCodes(codes) } } }],
  };
}

/**
 * The response object for one status: the error envelope with `code` narrowed to `codes`, one
 * named example per code, a description saying when each is sent, and headers such as Retry-After.
 */
export function errorResponse(status: number, codes: ErrorCode[]): ResponseObject {
  const sorted = sortCodes(codes);
  const docs = sorted.map((code) => [code, ERROR_DOCS_AT_STATUS[status]?.[code] ?? ERROR_DOCS[code]] as const);
  const headers = HEADERS_AT_STATUS[status];
  return {
    description: docs.map(([code, doc]) => `\`${code}\`: ${doc.when}.`).join('\n\n'),
    ...(headers ? { headers } : {}),
    content: {
      'application/json': {
        schema: errorEnvelopeSchema(sorted),
        examples: Object.fromEntries(
          docs.map(([code, doc]) => [
            code,
            {
              summary: code,
              value: {
                success: false,
                error: doc.message,
                code,
                ...(doc.details ? { details: doc.details } : {}),
                request_id: EXAMPLE_REQUEST_ID,
              },
            },
          ]),
        ),
      },
    },
  };
}

/**
 * The codes an error response made by `ApiErrors` documents (empty for any other response). Any
 * media type is read: on a route that produces e.g. `text/plain`, Nest files the envelope under it.
 */
export function codesOf(response: unknown): ErrorCode[] {
  for (const media of Object.values((response as ResponseObject | undefined)?.content ?? {})) {
    const schema = media.schema as SchemaObject | undefined;
    const narrowed = schema?.allOf?.[1] as SchemaObject | undefined;
    const codes = (narrowed?.properties?.code as SchemaObject | undefined)?.enum;
    if (schema?.allOf?.[0] && '$ref' in schema.allOf[0] && schema.allOf[0].$ref === getSchemaPath(ErrorEnvelopeDto) && Array.isArray(codes)) {
      return codes as ErrorCode[];
    }
  }
  return [];
}
