import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/** Sent as the X-API-Key-ID header: visible ASCII only (no spaces or line breaks). */
const HEADER_SAFE = /^[\x21-\x7E]+$/;
import { IsHttpUrl, IsOptionalNonNull, IsResourceId } from '../../common/validation/validators';
import { PROVIDERS, ProviderKind } from '../entities/workspace.entity';

export class CreateWorkspaceDto {
  /** The provider's workspace id, e.g. `workspace-456`. Unique within your organization. */
  @IsResourceId()
  id: string;

  /** Display name. */
  @IsString()
  @Length(1, 200)
  name: string;

  /** `builtin`: dashboards hosted by Tessera. `papermap`: a Papermap-compatible provider over its HMAC API. */
  @ApiProperty({ enum: PROVIDERS })
  @IsIn(PROVIDERS)
  provider: ProviderKind;

  /** Provider API base URL (`papermap` only); defaults to the deployment's PAPERMAP_API_URL. */
  @IsOptional()
  @IsHttpUrl()
  api_url?: string;

  /** Provider API key id (`papermap` only, required there). */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @Matches(HEADER_SAFE, { message: 'api_key_id must be visible ASCII characters without spaces' })
  api_key_id?: string;

  /** Provider secret key (`papermap` only, required there). Write-only: stored encrypted, never returned. */
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  secret_key?: string;

  /** Provider embed page (`papermap` only); defaults to the deployment's PAPERMAP_EMBED_URL. */
  @IsOptional()
  @IsHttpUrl()
  embed_url?: string;
}

export class UpdateWorkspaceDto {
  /** Display name. */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** Provider API base URL; `null` returns to the deployment's default. */
  @IsOptional()
  @IsHttpUrl()
  api_url?: string | null;

  /** Provider API key id. */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 256)
  @Matches(HEADER_SAFE, { message: 'api_key_id must be visible ASCII characters without spaces' })
  api_key_id?: string;

  /** New provider secret key. Write-only. */
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 1024)
  secret_key?: string;

  /** Provider embed page; `null` returns to the deployment's default. */
  @IsOptional()
  @IsHttpUrl()
  embed_url?: string | null;
}

export class WorkspaceDto {
  id: string;

  name: string;

  @ApiProperty({ enum: PROVIDERS })
  provider: ProviderKind;

  /** Effective provider API URL (`papermap`), or null (`builtin`). */
  api_url: string | null;

  api_key_id: string | null;

  /** Whether a provider secret key is stored. The key itself is never returned. */
  has_secret_key: boolean;

  /** Effective provider embed page (`papermap`), or null (`builtin`). */
  embed_url: string | null;

  /** ISO-8601, UTC. */
  created_at: string;

  /** ISO-8601, UTC. */
  updated_at: string;
}

export class CreatedWorkspaceDto extends WorkspaceDto {
  /** `ps_…`: the Tokens API credential for this workspace. Shown this once; store it now. */
  project_secret: string;
}

export class ProjectSecretDto {
  /** The new `ps_…` project secret; the old one stops working now. Shown this once. */
  project_secret: string;
}
