import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsOptionalNonNull, IsOrigin, IsResourceId, IsSmallJsonObject } from '../../common/validation/validators';
import { Tenant, TENANT_STATUSES, TenantStatus } from '../entities/tenant.entity';

export const MAX_ALLOWED_ORIGINS = 50;
export const TENANT_METADATA_LIMITS = { maxBytes: 4_096, maxDepth: 5 };

export class CreateTenantDto {
  /** Your own id for this customer, e.g. `org-123`. Unique within your organization. */
  @IsResourceId()
  id: string;

  /** Display name. */
  @IsString()
  @Length(1, 200)
  name: string;

  /** `suspended` tenants get no embed tokens. */
  @ApiProperty({ enum: TENANT_STATUSES, required: false, default: 'active' })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  /** Origins allowed to frame this tenant's dashboards, e.g. `https://app.customer.com`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOrigin({ each: true })
  allowed_origins?: string[];

  /** Free-form JSON object for your own use (at most 4 KB, depth 5). */
  @IsOptional()
  @IsSmallJsonObject(TENANT_METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}

export class UpdateTenantDto {
  /** Display name. */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** `suspended` tenants get no embed tokens. */
  @ApiProperty({ enum: TENANT_STATUSES, required: false })
  @IsOptionalNonNull()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  /** Replaces the list of origins allowed to frame this tenant's dashboards. */
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOrigin({ each: true })
  allowed_origins?: string[];

  /** Replaces the metadata object. */
  @IsOptionalNonNull()
  @IsSmallJsonObject(TENANT_METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}

export class TenantDto {
  /** Your id for this customer. */
  id: string;

  name: string;

  @ApiProperty({ enum: TENANT_STATUSES })
  status: TenantStatus;

  allowed_origins: string[];

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  /** ISO-8601, UTC. */
  created_at: string;

  /** ISO-8601, UTC. */
  updated_at: string;

  static from(tenant: Tenant): TenantDto {
    return {
      id: tenant.id,
      name: tenant.name,
      status: tenant.status,
      allowed_origins: tenant.allowedOrigins,
      metadata: tenant.metadata,
      created_at: tenant.createdAt.toISOString(),
      updated_at: tenant.updatedAt.toISOString(),
    };
  }
}
