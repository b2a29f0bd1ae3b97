import { ErrorCode } from './error-code';

/** One problem with one field of a request, as listed in the error envelope's `details`. */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `rcls[3].column`; empty for the whole body. */
  field: string;
  message: string;
}

/**
 * The one exception type services throw. It names a code and a message meant for the caller;
 * the exception filter turns it into the error envelope. Services never throw Nest's HTTP
 * exceptions, so a reader finds every failure mode by its code.
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppException {
  constructor(message = 'Resource not found') {
    super(ErrorCode.NOT_FOUND, message, 404);
  }
}

export class ConflictError extends AppException {
  constructor(message = 'Resource already exists') {
    super(ErrorCode.CONFLICT, message, 409);
  }
}

export class ForbiddenError extends AppException {
  constructor(message = 'You do not have access to this resource') {
    super(ErrorCode.FORBIDDEN, message, 403);
  }
}

export class ValidationError extends AppException {
  constructor(message: string, details?: ErrorDetail[], status = 422) {
    super(ErrorCode.VALIDATION_ERROR, message, status, details);
  }
}

export class ServiceUnavailableError extends AppException {
  constructor(message = 'The service is temporarily unavailable; try again shortly', headers?: Record<string, string>) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, 503, undefined, headers);
  }
}
