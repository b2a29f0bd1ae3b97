import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '../errors/error-code';

export class SuccessEnvelopeDto {
  /** Always `true` on success. */
  @ApiProperty({ enum: [true] })
  success: boolean;
}

export class ErrorDetailDto {
  /** Dotted path of the offending field, e.g. `tenant_id` or `rcls[2].column`. */
  field: string;

  /** What is wrong with it. */
  message: string;
}

export class ErrorEnvelopeDto {
  /** Always `false` on error. */
  @ApiProperty({ enum: [false] })
  success: boolean;

  /** A human-readable message. Never contains secrets, stack traces or SQL. */
  error: string;

  /** Machine-readable error code. */
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode' })
  code: ErrorCode;

  /** Per-field problems, for `VALIDATION_ERROR` and `INVALID_SECURITY_POLICY`. */
  details?: ErrorDetailDto[];

  /** The request's id, also sent as the `X-Request-Id` header; quote it when reporting a problem. */
  request_id: string;
}
