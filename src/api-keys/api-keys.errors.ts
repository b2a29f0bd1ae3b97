import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class ApiKeyNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'API key not found', 404);
  }
}
