import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiResourceId } from '../../common/swagger/api-property.decorators';
import { IsOptionalNonNull, IsOrigin, IsResourceId, IsSmallJsonObject } from '../../common/validation/validators';
import { Tenant, TENANT_STATUSES, TenantStatus } from '../entities/tenant.entity';

export const MAX_ALLOWED_ORIGINS = 50;
export const TENANT_METADATA_LIMITS = { maxBytes: 4_096, maxDepth: 5 };

export class CreateTenantDto {
  /**
   * Your own id for this customer, e.g. `org-123`. Unique within your organization.
   * @example org-123
   */
  @ApiResourceId()
  @IsResourceId()
  id: string;

  /**
   * Display name.
   * @example "Customer 123"
   */
  @IsString()
  @Length(1, 200)
  name: string;

  /** `suspended` tenants get no embed tokens. */
  @ApiProperty({ enum: TENANT_STATUSES, required: false, default: 'active', example: 'active' })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  /**
   * Origins allowed to frame this tenant's dashboards, e.g. `https://app.customer.com`.
   * @example ["https://app.customer.com"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOrigin({ each: true })
  allowed_origins?: string[];

  /**
   * Free-form JSON object for your own use (at most 4 KB, depth 5).
   * @example {"plan": "enterprise"}
   */
  @IsOptional()
  @IsSmallJsonObject(TENANT_METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}

export class UpdateTenantDto {
  /**
   * Display name.
   * @example "Customer 123 GmbH"
   */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** `suspended` tenants get no embed tokens. */
  @ApiProperty({ enum: TENANT_STATUSES, required: false, example: 'suspended' })
  @IsOptionalNonNull()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  /**
   * Replaces the list of origins allowed to frame this tenant's dashboards.
   * @example ["https://app.customer.com", "https://admin.customer.com"]
   */
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsOrigin({ each: true })
  allowed_origins?: string[];

  /**
   * Replaces the metadata object.
   * @example {"plan": "team"}
   */
  @IsOptionalNonNull()
  @IsSmallJsonObject(TENANT_METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}

export class TenantDto {
  /**
   * Your id for this customer.
   * @example org-123
   */
  id: string;

  /**
   * Display name.
   * @example "Customer 123"
   */
  name: string;

  /** `suspended` tenants get no embed tokens. */
  @ApiProperty({ enum: TENANT_STATUSES, example: 'active' })
  status: TenantStatus;

  /**
   * Origins allowed to frame this tenant's dashboards.
   * @example ["https://app.customer.com"]
   */
  allowed_origins: string[];

  /** Your free-form JSON object. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { plan: 'enterprise' } })
  metadata: Record<string, unknown>;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  created_at: string;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
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
