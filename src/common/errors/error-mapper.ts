import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable, isForeignKeyViolation, isUniqueViolation } from '../../database/database-errors';
import { AppException, ErrorDetail } from './app.exception';
import { ErrorCode } from './error-code';

/** What the error envelope will say, decided from any thrown value. */
export interface Problem {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  /** True when the cause is unknown to us and must be logged with its stack. */
  unexpected: boolean;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_ERROR,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.VALIDATION_ERROR,
  422: ErrorCode.VALIDATION_ERROR,
  429: ErrorCode.RATE_LIMIT_EXCEEDED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

export function toProblem(exception: unknown): Problem {
  if (exception instanceof AppException) {
    return {
      status: exception.status,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
      unexpected: false,
    };
  }
  // Nest also hands us Fastify's request errors (body too large, bad media type…) as HttpException.
  if (exception instanceof HttpException) return fromHttpException(exception);

  if (isUniqueViolation(exception)) {
    return { status: 409, code: ErrorCode.CONFLICT, message: 'Resource already exists', unexpected: false };
  }
  if (isForeignKeyViolation(exception)) {
    return { status: 409, code: ErrorCode.CONFLICT, message: 'Resource is still in use', unexpected: false };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      status: 503,
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'The database is unavailable; try again shortly',
      headers: { 'retry-after': '5' },
      unexpected: false,
    };
  }
  return { status: 500, code: ErrorCode.SERVER_ERROR, message: 'Internal server error', unexpected: true };
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status];
  if (!code || status >= 500) {
    return status === 503
      ? { status, code: ErrorCode.SERVICE_UNAVAILABLE, message: 'Service unavailable', unexpected: false }
      : { status: 500, code: ErrorCode.SERVER_ERROR, message: 'Internal server error', unexpected: true };
  }
  const body = exception.getResponse();
  let message = exception.message;
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const m = (body as { message: unknown }).message;
    message = Array.isArray(m) ? m.join('; ') : String(m);
  }
  // Nest's not-found handler says "Cannot GET /x"; say it in our words.
  if (status === 404 && /^Cannot [A-Z]+ /.test(message)) message = `No route for ${message.slice(7)}`;
  return { status: status === 405 ? 404 : status, code, message, unexpected: false };
}
