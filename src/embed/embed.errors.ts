import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

export class NotHostedHereError extends AppException {
  constructor() {
    super(ErrorCode.NOT_FOUND, 'This dashboard is not hosted by Tessera; open it at its provider', 404);
  }
}
