import { AppException, ValidationError } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class WorkspaceNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'Workspace not found', 404);
  }
}

export class WorkspaceExistsError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'A workspace with this id already exists', 409);
  }
}

export class WorkspaceInUseError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'The workspace still has dashboards; delete them first', 409);
  }
}

/** A provider/credential combination that cannot work. */
export class WorkspaceCredentialsError extends ValidationError {
  constructor(field: string, message: string) {
    super('Request validation failed', [{ field, message }]);
  }
}
