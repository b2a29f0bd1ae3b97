/**
 * A thin, typed client for Tessera's API: openapi-fetch over the types that openapi-typescript
 * generates from `openapi.json` (`schema.d.ts`, never edited by hand). Paths, parameters, bodies
 * and results are checked by the compiler; the envelope is unwrapped (`data`, and `{items, total}`
 * for lists) and error envelopes are thrown as `TesseraApiError` carrying the typed `code`.
 */
import createClient, { type Client, type ClientOptions, type MaybeOptionalInit } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';
export type Schemas = components['schemas'];
/** Every machine-readable error code Tessera answers with. */
export type ErrorCode = Schemas['ErrorCode'];
export type ErrorDetail = Schemas['ErrorDetailDto'];

type Method = 'get' | 'post' | 'patch' | 'delete';
/** The paths that have an operation for `M`. */
export type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never }[keyof paths];
type Operation<M extends Method, P extends PathsWith<M>> = paths[P][M];
type Init<M extends Method, P extends PathsWith<M>> = MaybeOptionalInit<paths[P], M>;
/** The second argument is optional exactly when the operation needs no parameter and no body. */
type InitArgs<M extends Method, P extends PathsWith<M>> = undefined extends Init<M, P> ? [init?: Init<M, P>] : [init: Init<M, P>];

type OkStatus = 200 | 201 | 202 | 203 | 204 | 206;
type SuccessBody<Op> = Op extends { responses: infer R }
  ? { [S in keyof R & OkStatus]: R[S] extends { content: { 'application/json': infer J } } ? J : never }[keyof R & OkStatus]
  : never;

/** A page of a list: the envelope's `data` and `total`. */
export interface Page<T> {
  items: T[];
  /** How many items match, across all pages. */
  total: number;
}

/** What a call resolves to: the envelope's `data`, a `Page` for lists, nothing for a 204. */
export type Result<B> = [B] extends [never]
  ? void
  : B extends { success: true; data: (infer I)[]; total: number }
    ? Page<I>
    : B extends { success: true; data: infer D }
      ? D
      : B;
export type ResultOf<M extends Method, P extends PathsWith<M>> = Result<SuccessBody<Operation<M, P>>>;

/** An error answered by Tessera (or by something in front of it), with the envelope's fields. */
export class TesseraApiError extends Error {
  override readonly name = 'TesseraApiError';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The envelope's `code`. */
    readonly code: ErrorCode,
    message: string,
    /** Per-field problems (`VALIDATION_ERROR`, `INVALID_SECURITY_POLICY`). */
    readonly details: ErrorDetail[] = [],
    /** The request id (`request_id`, or the `X-Request-Id` header); quote it when reporting a problem. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** What a status means when the body is not a Tessera error envelope (e.g. a proxy's 502 page). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_ERROR',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMIT_EXCEEDED',
  502: 'UPSTREAM_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export interface TesseraClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where Tessera runs, e.g. `https://tessera.example.com`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`: a caller JWT for the management API, or an embed token. */
  token?: string;
}

export interface TesseraClient {
  get<P extends PathsWith<'get'>>(path: P, ...init: InitArgs<'get', P>): Promise<ResultOf<'get', P>>;
  post<P extends PathsWith<'post'>>(path: P, ...init: InitArgs<'post', P>): Promise<ResultOf<'post', P>>;
  patch<P extends PathsWith<'patch'>>(path: P, ...init: InitArgs<'patch', P>): Promise<ResultOf<'patch', P>>;
  delete<P extends PathsWith<'delete'>>(path: P, ...init: InitArgs<'delete', P>): Promise<ResultOf<'delete', P>>;
  /** The same client, sending another Bearer token (e.g. an embed token to invalidate). */
  withToken(token: string | undefined): TesseraClient;
  /** The underlying openapi-fetch client, for raw responses. */
  readonly raw: Client<paths>;
}

export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  const { token, headers, ...rest } = options;
  const raw = createClient<paths>({
    ...rest,
    headers: { ...(headers as Record<string, string> | undefined), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const call =
    (method: Method) =>
    async (path: string, init?: object): Promise<never> => {
      // The public signatures above carry the types; openapi-fetch's generic one cannot be named here.
      const { data, error, response } = await (raw.request as (m: Method, p: string, i?: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>)(
        method,
        path,
        init,
      );
      if (!response.ok) throw toApiError(response, error);
      return unwrap(data) as never;
    };
  return {
    get: call('get'),
    post: call('post'),
    patch: call('patch'),
    delete: call('delete'),
    withToken: (next) => createTesseraClient({ ...options, token: next }),
    raw,
  };
}

function unwrap(body: unknown): unknown {
  if (!isObject(body) || body.success !== true || !('data' in body)) return body; // 204, or not enveloped (JWKS)
  return typeof body.total === 'number' ? { items: body.data, total: body.total } : body.data;
}

function toApiError(response: Response, body: unknown): TesseraApiError {
  const headerId = response.headers.get('x-request-id') ?? undefined;
  if (isObject(body) && body.success === false && typeof body.code === 'string') {
    return new TesseraApiError(
      response.status,
      body.code as ErrorCode,
      typeof body.error === 'string' ? body.error : response.statusText,
      Array.isArray(body.details) ? (body.details as ErrorDetail[]) : [],
      typeof body.request_id === 'string' ? body.request_id : headerId,
    );
  }
  const code = CODE_BY_STATUS[response.status] ?? 'SERVER_ERROR';
  return new TesseraApiError(response.status, code, `HTTP ${response.status} ${response.statusText} (not a Tessera error envelope)`, [], headerId);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
