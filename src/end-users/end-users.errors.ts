import { AppException, ValidationError } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class EndUserNotFoundError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'End user not found', 404);
  }
}

/** The email is already another end user's (one with a different external id) in this tenant. */
export class EndUserEmailTakenError extends AppException {
  constructor() {
    super(ErrorCode.CONFLICT, 'Another end user of this tenant has this email', 409);
  }
}

/** An end user identity that cannot be used: field names are findOrCreate's input names. */
export class EndUserIdentityError extends ValidationError {
  constructor(field: string, message: string) {
    super('Request validation failed', [{ field, message }]);
  }
}
