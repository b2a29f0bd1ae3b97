import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

/** One message whatever the cause, so a probe learns nothing about why a token failed. */
export class UnauthorizedError extends AppException {
  constructor() {
    super(ErrorCode.UNAUTHORIZED, 'Missing or invalid caller token', 401, undefined, { 'www-authenticate': 'Bearer' });
  }
}

export class AdminOnlyError extends AppException {
  constructor() {
    super(ErrorCode.FORBIDDEN, 'This operation needs the admin role', 403);
  }
}

export class TenantAccessDeniedError extends AppException {
  constructor() {
    super(ErrorCode.FORBIDDEN, 'You do not have access to this tenant', 403);
  }
}
