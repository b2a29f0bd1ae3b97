import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

/** An embed token past its `exp`. */
export class TokenExpiredError extends AppException {
  constructor() {
    super(ErrorCode.TOKEN_EXPIRED, 'The token has expired', 401);
  }
}

/** Malformed, tampered, revoked, wrong audience, unknown key: one message for all. */
export class InvalidTokenError extends AppException {
  constructor() {
    super(ErrorCode.INVALID_TOKEN, 'The token is invalid', 401);
  }
}

/** Wrong or unknown dashboard/project secret: the same answer for both. */
export class InvalidTokenCredentialsError extends AppException {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 'Invalid credentials', 401);
  }
}
