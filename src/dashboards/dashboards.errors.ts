import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class DashboardNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'Dashboard not found', 404);
  }
}

export class DashboardExistsError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'The tenant already has a dashboard', 409);
  }
}

export class DashboardIdCollisionError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'The provider returned a dashboard id that is already mapped', 409);
  }
}
