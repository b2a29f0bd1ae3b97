import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

/** The provider refused our credentials or signature (upstream 401/403). */
export class UpstreamAuthFailedError extends AppException {
  constructor() {
    super(ErrorCode.UPSTREAM_AUTH_FAILED, 'The analytics provider rejected the workspace credentials', 502);
  }
}

/** The provider says the dashboard already exists (upstream 409). */
export class UpstreamConflictError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'The analytics provider reports that the dashboard already exists', 409);
  }
}

/** 5xx, timeout, connection failure, redirect, oversized or malformed answer. `reason` is for logs. */
export class UpstreamError extends AppException {
  constructor(readonly reason: string) {
    super(ErrorCode.UPSTREAM_ERROR, 'The analytics provider failed to answer correctly', 502);
  }
}

/** The circuit is open or the provider asked us to back off (upstream 429/503). */
export class UpstreamUnavailableError extends AppException {
  constructor(retryAfterSeconds: number, readonly reason: string) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, 'The analytics provider is unavailable; try again later', 503, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}
