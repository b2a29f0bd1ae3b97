import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class TenantNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'Tenant not found', 404);
  }
}

export class TenantExistsError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'A tenant with this id already exists', 409);
  }
}

export class TenantInUseError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'The tenant still has a dashboard; delete the dashboard first', 409);
  }
}

export class TenantSuspendedError extends AppException {
  constructor() {
    super(ErrorCode.FORBIDDEN, 'The tenant is suspended', 403);
  }
}
