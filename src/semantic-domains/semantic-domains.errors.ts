import { AppException, ValidationError } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class SemanticDomainNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'Semantic domain not found', 404);
  }
}

export class SemanticDomainExistsError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'A semantic domain with this name already exists in the workspace', 409);
  }
}

/** A token request named a domain the workspace does not have (or too many of them). */
export class SemanticDomainReferenceError extends ValidationError {
  constructor(field: string, message: string) {
    super('Request validation failed', [{ field, message }]);
  }
}
