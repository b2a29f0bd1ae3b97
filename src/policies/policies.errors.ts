import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';

/**
 * A security policy (cls, rcls, sls, params, config) that breaks a rule of SPEC §4. `path` names
 * the first offending spot of the caller's JSON (`rcls[3].column`, `cls[0].params.region`), so a
 * client can fix its request without guessing; the offending value itself is never echoed.
 */
export class InvalidSecurityPolicyError extends AppException {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      ErrorCode.INVALID_SECURITY_POLICY,
      path ? `Invalid security policy at ${path}: ${reason}` : `Invalid security policy: ${reason}`,
      422,
      [{ field: path, message: reason }],
    );
  }
}
