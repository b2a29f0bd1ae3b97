import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class ValidateTokenDto {
  /**
   * The embed token; or send it as `Authorization: Bearer <token>`.
   * @example eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJkYXNoYm9hcmQifQ.c2lnbmF0dXJl
   */
  @IsOptional()
  @IsString()
  @Length(1, 16_384)
  token?: string;
}

export class TokenValidationDto {
  /** Always true: an invalid token answers 401. */
  @ApiProperty({ enum: [true], example: true })
  valid: true;

  /** A dashboard or a project token. */
  @ApiProperty({ enum: ['dashboard', 'project'], example: 'dashboard' })
  type: 'dashboard' | 'project';

  /** Every signed claim of the token. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { sub: 'user-42', typ: 'dashboard', tenantId: 'org-123', dashboardId: 'dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19', rcls: [{ column: 'region', operator: 'in', values: ['eu'] }] },
  })
  claims: Record<string, unknown>;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  expiresAt: string;
}

export class InvalidationDto {
  /**
   * Always true: the token no longer works (also when it already did not).
   * @example true
   */
  revoked: boolean;

  /**
   * Until when it would have been valid (ISO-8601), when known.
   * @example 2025-01-31T12:00:00.000Z
   */
  expiresAt: string | null;
}

export class TenantRevocationDto {
  /**
   * The tenant whose tokens were revoked.
   * @example org-123
   */
  tenant_id: string;

  /**
   * Every token of the tenant issued up to this instant (ISO-8601) no longer works.
   * @example 2025-01-31T12:00:00.000Z
   */
  revoked_before: string;
}
