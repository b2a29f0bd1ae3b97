import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { END_USER_ROLES, EndUserRole } from '../../end-users/entities/end-user.entity';
import { CONNECTION_ID_PATTERN, IDENTIFIER_PATTERN, POLICY_LIMITS, QUALIFIED_IDENTIFIER_PATTERN, RCLS_OPERATORS } from '../../policies/policies';
import { MAX_TOKEN_EXPIRY_SECONDS, MIN_TOKEN_EXPIRY_SECONDS } from '../embed-token';

const POLICY_SCALAR = { oneOf: [{ type: 'string', maxLength: POLICY_LIMITS.maxStringLength }, { type: 'number' }, { type: 'boolean' }] };

/** Documents one row-level security rule (`rcls`); the Tokens API checks it with `parsePolicies`. */
export class RowPolicyDto {
  /** Table or `schema.table` the rule applies to; every dataset when absent. */
  @ApiProperty({ required: false, type: 'string', pattern: QUALIFIED_IDENTIFIER_PATTERN.source, example: 'sales.orders' })
  dataset?: string;

  /** Column or `schema.column`. */
  @ApiProperty({ type: 'string', pattern: QUALIFIED_IDENTIFIER_PATTERN.source, example: 'region' })
  column: string;

  /** `in`/`not_in` take 1-100 values, `between` two, `is_null`/`not_null` none, the others one. */
  @ApiProperty({ enum: RCLS_OPERATORS, example: 'in' })
  operator: string;

  /** Strings (at most 256 characters), numbers or booleans. */
  @ApiProperty({ required: false, type: 'array', items: POLICY_SCALAR, maxItems: POLICY_LIMITS.maxListValues, example: ['eu', 'us'] })
  values?: Array<string | number | boolean>;
}

/** Documents one connection-level security policy (`cls`). */
export class ConnectionPolicyDto {
  /** The provider connection it applies to; every connection when absent. */
  @ApiProperty({ required: false, type: 'string', pattern: CONNECTION_ID_PATTERN.source, example: 'warehouse' })
  connectionId?: string;

  /** 1-50 named values (names match `^[A-Za-z_][A-Za-z0-9_]{0,62}$`): strings, numbers, booleans or null. */
  @ApiProperty({
    type: 'object',
    // OpenAPI 3.0 has no null type: null is a nullable string here.
    additionalProperties: { oneOf: [{ type: 'string', maxLength: POLICY_LIMITS.maxStringLength, nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    minProperties: 1,
    maxProperties: POLICY_LIMITS.maxConnectionParams,
    example: { customer_id: 123 },
  })
  params: Record<string, string | number | boolean | null>;
}

const ONE_OR_LIST = (model: Function): Record<string, unknown> => ({
  oneOf: [{ $ref: getSchemaPath(model) }, { type: 'array', items: { $ref: getSchemaPath(model) }, minItems: 1, maxItems: POLICY_LIMITS.maxRules }],
});

/** Seed 002's request: every field of its table, for both token types. */
export class GenerateTokenDto {
  /** `project` for a project token; omit or `dashboard` for a dashboard token. */
  @ApiProperty({ enum: ['dashboard', 'project'], required: false, default: 'dashboard', example: 'dashboard' })
  @IsOptional()
  @IsIn(['dashboard', 'project'])
  type?: 'dashboard' | 'project';

  /**
   * Dashboard token: the dashboard's `dashboard_id`.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  dashboardId?: string;

  /**
   * Dashboard token: its `ds_…` secret.
   * @example ds_Jx4mQ8vN2pR6sT0wY3zA7cE1gH5kL9oB2uI6eW0bFd8
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  dashboardSecret?: string;

  /**
   * Project token: the workspace id.
   * @example workspace-456
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  projectId?: string;

  /**
   * Project token: the workspace's `ps_…` secret.
   * @example ps_Vb7nM3xK9qL1rT5wZ8aC2eG6iJ0oP4sU7yB3dF5hA1
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  projectSecret?: string;

  /**
   * Lifetime in seconds, 60..86400 (default 1800).
   * @example 1800
   */
  @ApiProperty({ required: false, type: 'integer', default: 1800 })
  @IsOptional()
  @IsInt()
  @Min(MIN_TOKEN_EXPIRY_SECONDS)
  @Max(MAX_TOKEN_EXPIRY_SECONDS)
  tokenExpiry?: number;

  /**
   * Tenant id (project tokens: identifies the end user with `endUserEmail`; dashboard tokens: must be the dashboard's tenant).
   * @example org-123
   */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  tenantId?: string;

  /**
   * Project tokens: tenant by name, instead of `tenantId`.
   * @example "Customer 123"
   */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  tenantName?: string;

  /**
   * End user id (your id for the person).
   * @example user-42
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  endUserId?: string;

  /**
   * End user email (project tokens: with `tenantId` or `tenantName`).
   * @example ana@customer.com
   */
  @IsOptional()
  @IsString()
  @Length(3, 254)
  endUserEmail?: string;

  /**
   * An organization user acting (instead of an end user).
   * @example staff-7
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  orgUserId?: string;

  /**
   * Dashboard tokens: the organization user's email.
   * @example support@example.com
   */
  @IsOptional()
  @IsString()
  @Length(3, 254)
  orgUserEmail?: string;

  /**
   * Name shown for the viewer in the embedded dashboard.
   * @example "Ana Silva"
   */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  /**
   * Project tokens: create the end user if unknown.
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  autoCreateEndUser?: boolean;

  /** Project tokens: role of an auto-created end user (default VIEWER). */
  @ApiProperty({ enum: END_USER_ROLES, required: false, example: 'VIEWER' })
  @IsOptional()
  @IsIn(END_USER_ROLES)
  role?: EndUserRole;

  /**
   * Project tokens: a dashboard of the workspace to open first.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  initialDashboardId?: string;

  /**
   * Project tokens: semantic domains (ids or names) of the workspace the token may use.
   * @example ["sales"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  allowedSemanticDomains?: string[];

  /**
   * Enable self-service editing.
   * @example false
   */
  @IsOptional()
  @IsBoolean()
  allowEdit?: boolean;

  /** Connection-level security: `{connectionId?, params}` or a list of at most 50. */
  @ApiProperty({ required: false, ...ONE_OR_LIST(ConnectionPolicyDto), example: { params: { customer_id: 123 } } })
  @Allow()
  cls?: unknown;

  /** Row-level security: a rule `{dataset?, column, operator, values}` or a list of at most 50. */
  @ApiProperty({ required: false, ...ONE_OR_LIST(RowPolicyDto), example: [{ column: 'region', operator: 'in', values: ['eu', 'us'] }] })
  @Allow()
  rcls?: unknown;

  /** Project tokens: schema-level security, one schema name. */
  @ApiProperty({ required: false, type: 'string', pattern: IDENTIFIER_PATTERN.source, example: 'customer_123' })
  @Allow()
  sls?: unknown;

  /** User parameters (JSON object, ≤ 4 KB, depth ≤ 5). */
  @ApiProperty({ required: false, type: Object, additionalProperties: true, example: { fiscal_year: 2025 } })
  @Allow()
  params?: unknown;

  /** UI configuration (JSON object, ≤ 4 KB, depth ≤ 5), e.g. `{theme, locale}`. */
  @ApiProperty({ required: false, type: Object, additionalProperties: true, example: { theme: 'dark', locale: 'en' } })
  @Allow()
  config?: unknown;
}

export class TokenResponseDto {
  /**
   * The signed embed token (a JWS; verify it with `/.well-known/jwks.json`).
   * @example eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlZoM1AybjdacjFtS3E4c1Q0d1h5MEEifQ.eyJ0eXAiOiJkYXNoYm9hcmQifQ.c2lnbmF0dXJl
   */
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType: 'Bearer';

  /**
   * Seconds until it expires.
   * @example 1800
   */
  @ApiProperty({ type: 'integer' })
  expiresIn: number;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  expiresAt: string;
}

/** Named request examples of `POST /api/v1/tokens`, shown in Swagger UI. */
export const GENERATE_TOKEN_EXAMPLES = {
  dashboard: {
    summary: 'Dashboard token with row-level security',
    value: {
      dashboardId: 'dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19',
      dashboardSecret: 'ds_Jx4mQ8vN2pR6sT0wY3zA7cE1gH5kL9oB2uI6eW0bFd8',
      tenantId: 'org-123',
      endUserId: 'user-42',
      tokenExpiry: 1800,
      rcls: [{ column: 'region', operator: 'in', values: ['eu', 'us'] }],
      config: { theme: 'dark', locale: 'en' },
    },
  },
  project: {
    summary: 'Project token for an end user, created on first use',
    value: {
      type: 'project',
      projectId: 'workspace-456',
      projectSecret: 'ps_Vb7nM3xK9qL1rT5wZ8aC2eG6iJ0oP4sU7yB3dF5hA1',
      endUserEmail: 'ana@customer.com',
      tenantId: 'org-123',
      autoCreateEndUser: true,
      role: 'VIEWER',
      allowedSemanticDomains: ['sales'],
      sls: 'customer_123',
      cls: { params: { customer_id: 123 } },
    },
  },
};
