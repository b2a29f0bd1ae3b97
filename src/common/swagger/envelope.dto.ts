import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '../errors/error-code';

export class SuccessEnvelopeDto {
  /** Always `true` on success. */
  @ApiProperty({ enum: [true], example: true })
  success: boolean;
}

export class ErrorDetailDto {
  /**
   * Dotted path of the offending field, e.g. `tenant_id` or `rcls[2].column`.
   * @example tenant_id
   */
  field: string;

  /**
   * What is wrong with it.
   * @example "tenant_id must be a string"
   */
  message: string;
}

export class ErrorEnvelopeDto {
  /** Always `false` on error. */
  @ApiProperty({ enum: [false], example: false })
  success: boolean;

  /**
   * A human-readable message. Never contains secrets, stack traces or SQL.
   * @example "Tenant not found"
   */
  error: string;

  /** Machine-readable error code. */
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', example: 'NOT_FOUND' })
  code: ErrorCode;

  /** Per-field problems, for `VALIDATION_ERROR` and `INVALID_SECURITY_POLICY`. */
  details?: ErrorDetailDto[];

  /**
   * The request's id, also sent as the `X-Request-Id` header; quote it when reporting a problem.
   * @example 5f0c6f2e-8a4b-4d51-9a53-2f7e2b8c1d90
   */
  request_id: string;
}
