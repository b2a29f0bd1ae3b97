import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/** Sent as the X-API-Key-ID header: visible ASCII only (no spaces or line breaks). */
const HEADER_SAFE = /^[\x21-\x7E]+$/;
import { ApiResourceId } from '../../common/swagger/api-property.decorators';
import { IsHttpUrl, IsOptionalNonNull, IsResourceId } from '../../common/validation/validators';
import { PROVIDERS, ProviderKind } from '../entities/workspace.entity';

export class CreateWorkspaceDto {
  /**
   * The provider's workspace id, e.g. `workspace-456`. Unique within your organization.
   * @example workspace-456
   */
  @ApiResourceId()
  @IsResourceId()
  id: string;

  /**
   * Display name.
   * @example Analytics
   */
  @IsString()
  @Length(1, 200)
  name: string;

  /** `builtin`: dashboards hosted by Tessera. `papermap`: a Papermap-compatible provider over its HMAC API. */
  @ApiProperty({ enum: PROVIDERS, example: 'builtin' })
  @IsIn(PROVIDERS)
  provider: ProviderKind;

  /**
   * Provider API base URL (`papermap` only); defaults to the deployment's PAPERMAP_API_URL.
   * @example https://prod.dataapi.papermap.ai
   */
  @IsOptional()
  @IsHttpUrl()
  api_url?: string;

  /**
   * Provider API key id (`papermap` only, required there).
   * @example pm-key-1
   */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @Matches(HEADER_SAFE, { message: 'api_key_id must be visible ASCII characters without spaces' })
  api_key_id?: string;

  /**
   * Provider secret key (`papermap` only, required there). Write-only: stored encrypted, never returned.
   * @example pm-secret-value
   */
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  secret_key?: string;

  /**
   * Provider embed page (`papermap` only); defaults to the deployment's PAPERMAP_EMBED_URL.
   * @example https://papermap.ai/embedded/dashboard
   */
  @IsOptional()
  @IsHttpUrl()
  embed_url?: string;
}

export class UpdateWorkspaceDto {
  /**
   * Display name.
   * @example "Analytics (EU)"
   */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  /**
   * Provider API base URL; `null` returns to the deployment's default.
   * @example https://eu.dataapi.papermap.ai
   */
  @IsOptional()
  @IsHttpUrl()
  api_url?: string | null;

  /**
   * Provider API key id.
   * @example pm-key-2
   */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 256)
  @Matches(HEADER_SAFE, { message: 'api_key_id must be visible ASCII characters without spaces' })
  api_key_id?: string;

  /**
   * New provider secret key. Write-only.
   * @example pm-secret-rotated
   */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 1024)
  secret_key?: string;

  /**
   * Provider embed page; `null` returns to the deployment's default.
   * @example null
   */
  @IsOptional()
  @IsHttpUrl()
  embed_url?: string | null;
}

export class WorkspaceDto {
  /**
   * The workspace id (the Tokens API's `projectId`).
   * @example workspace-456
   */
  id: string;

  /**
   * Display name.
   * @example Analytics
   */
  name: string;

  @ApiProperty({ enum: PROVIDERS, example: 'builtin' })
  provider: ProviderKind;

  /**
   * Effective provider API URL (`papermap`), or null (`builtin`).
   * @example null
   */
  api_url: string | null;

  /**
   * Provider API key id (`papermap`), or null.
   * @example null
   */
  api_key_id: string | null;

  /**
   * Whether a provider secret key is stored. The key itself is never returned.
   * @example false
   */
  has_secret_key: boolean;

  /**
   * Effective provider embed page (`papermap`), or null (`builtin`).
   * @example null
   */
  embed_url: string | null;

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
}

export class CreatedWorkspaceDto extends WorkspaceDto {
  /**
   * `ps_…`: the Tokens API credential for this workspace. Shown this once; store it now.
   * @example ps_Vb7nM3xK9qL1rT5wZ8aC2eG6iJ0oP4sU7yB3dF5hA1
   */
  project_secret: string;
}

export class ProjectSecretDto {
  /**
   * The new `ps_…` project secret; the old one stops working now. Shown this once.
   * @example ps_Vb7nM3xK9qL1rT5wZ8aC2eG6iJ0oP4sU7yB3dF5hA1
   */
  project_secret: string;
}

/** Named request examples of `POST /api/v1/workspaces`, shown in Swagger UI. */
export const CREATE_WORKSPACE_EXAMPLES = {
  builtin: { summary: 'Built-in provider (no other service)', value: { id: 'workspace-456', name: 'Analytics', provider: 'builtin' } },
  papermap: {
    summary: 'Papermap-compatible provider',
    value: { id: 'workspace-789', name: 'Papermap analytics', provider: 'papermap', api_key_id: 'pm-key-1', secret_key: 'pm-secret-value' },
  },
};

/** Named request examples of `PATCH /api/v1/workspaces/{workspaceId}`. */
export const UPDATE_WORKSPACE_EXAMPLES = {
  rename: { summary: 'Rename', value: { name: 'Analytics (EU)' } },
  credentials: { summary: 'New provider credentials (papermap)', value: { api_key_id: 'pm-key-2', secret_key: 'pm-secret-rotated' } },
  defaults: { summary: "Back to the deployment's provider URLs (papermap)", value: { api_url: null, embed_url: null } },
};
