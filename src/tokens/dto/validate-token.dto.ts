import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class ValidateTokenDto {
  /** The embed token; or send it as `Authorization: Bearer <token>`. */
  @IsOptional()
  @IsString()
  @Length(1, 16_384)
  token?: string;
}

export class TokenValidationDto {
  @ApiProperty({ enum: [true] })
  valid: true;

  @ApiProperty({ enum: ['dashboard', 'project'] })
  type: 'dashboard' | 'project';

  /** Every signed claim of the token. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  claims: Record<string, unknown>;

  /** ISO-8601, UTC. */
  expiresAt: string;
}

export class InvalidationDto {
  /** Always true: the token no longer works (also when it already did not). */
  revoked: boolean;

  /** Until when it would have been valid (ISO-8601), when known. */
  expiresAt: string | null;
}

export class TenantRevocationDto {
  tenant_id: string;

  /** Every token of the tenant issued up to this instant (ISO-8601) no longer works. */
  revoked_before: string;
}
