import { ApiProperty } from '@nestjs/swagger';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { END_USER_ROLES, EndUserRole } from '../../end-users/entities/end-user.entity';
import { MAX_TOKEN_EXPIRY_SECONDS, MIN_TOKEN_EXPIRY_SECONDS } from '../embed-token';

/** Seed 002's request: every field of its table, for both token types. */
export class GenerateTokenDto {
  /** `project` for a project token; omit or `dashboard` for a dashboard token. */
  @ApiProperty({ enum: ['dashboard', 'project'], required: false })
  @IsOptional()
  @IsIn(['dashboard', 'project'])
  type?: 'dashboard' | 'project';

  /** Dashboard token: the dashboard's `dashboard_id`. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  dashboardId?: string;

  /** Dashboard token: its `ds_…` secret. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  dashboardSecret?: string;

  /** Project token: the workspace id. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  projectId?: string;

  /** Project token: the workspace's `ps_…` secret. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  projectSecret?: string;

  /** Lifetime in seconds, 60..86400 (default 1800). */
  @IsOptional()
  @IsInt()
  @Min(MIN_TOKEN_EXPIRY_SECONDS)
  @Max(MAX_TOKEN_EXPIRY_SECONDS)
  tokenExpiry?: number;

  /** Tenant id (project tokens: identifies the end user with `endUserEmail`; dashboard tokens: must be the dashboard's tenant). */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  tenantId?: string;

  /** Project tokens: tenant by name, instead of `tenantId`. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  tenantName?: string;

  /** End user id (your id for the person). */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  endUserId?: string;

  /** End user email (project tokens: with `tenantId` or `tenantName`). */
  @IsOptional()
  @IsString()
  @Length(3, 254)
  endUserEmail?: string;

  /** An organization user acting (instead of an end user). */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  orgUserId?: string;

  /** Dashboard tokens: the organization user's email. */
  @IsOptional()
  @IsString()
  @Length(3, 254)
  orgUserEmail?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  /** Project tokens: create the end user if unknown. */
  @IsOptional()
  @IsBoolean()
  autoCreateEndUser?: boolean;

  /** Project tokens: role of an auto-created end user (default VIEWER). */
  @ApiProperty({ enum: END_USER_ROLES, required: false })
  @IsOptional()
  @IsIn(END_USER_ROLES)
  role?: EndUserRole;

  /** Project tokens: a dashboard of the workspace to open first. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  initialDashboardId?: string;

  /** Project tokens: semantic domains (ids or names) of the workspace the token may use. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  allowedSemanticDomains?: string[];

  /** Enable self-service editing. */
  @IsOptional()
  @IsBoolean()
  allowEdit?: boolean;

  /** Connection-level security: `{connectionId?, params}` or a list of them. */
  @ApiProperty({ required: false, oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] })
  @Allow()
  cls?: unknown;

  /** Row-level security: a rule `{dataset?, column, operator, values}` or a list of at most 50. */
  @ApiProperty({ required: false, oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] })
  @Allow()
  rcls?: unknown;

  /** Project tokens: schema-level security, one schema name. */
  @ApiProperty({ required: false, type: 'string' })
  @Allow()
  sls?: unknown;

  /** User parameters (JSON object, ≤ 4 KB, depth ≤ 5). */
  @ApiProperty({ required: false, type: Object, additionalProperties: true })
  @Allow()
  params?: unknown;

  /** UI configuration (JSON object, ≤ 4 KB, depth ≤ 5), e.g. `{theme, locale}`. */
  @ApiProperty({ required: false, type: Object, additionalProperties: true })
  @Allow()
  config?: unknown;
}

export class TokenResponseDto {
  /** The signed embed token. */
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  /** Seconds until it expires. */
  expiresIn: number;

  /** ISO-8601, UTC. */
  expiresAt: string;
}
