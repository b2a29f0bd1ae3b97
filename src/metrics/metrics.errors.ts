import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

/** `METRICS_TOKEN` is set and the request did not carry it as a Bearer credential. */
export class MetricsUnauthorizedError extends AppException {
  constructor() {
    super(ErrorCode.UNAUTHORIZED, 'Missing or invalid metrics token', 401, undefined, { 'www-authenticate': 'Bearer realm="metrics"' });
  }
}
