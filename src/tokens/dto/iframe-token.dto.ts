import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { IsResourceId } from '../../common/validation/validators';

/** Seed 001's iframe-token request. */
export class IframeTokenRequestDto {
  @IsResourceId()
  tenant_id: string;

  @IsResourceId()
  workspace_id: string;

  /** The tenant's dashboard (`dashboard_id`) in that workspace. */
  @IsString()
  @Length(1, 256)
  dashboard_id: string;

  /** Unix seconds; default now + 1 h, at most now + 24 h, never in the past. */
  @IsOptional()
  @IsInt()
  @Min(0)
  valid_until?: number;
}

export class IframeTokenDto {
  /** Tessera dashboard token (`builtin`) or Papermap-format token (`papermap`). */
  token: string;

  dashboard_id: string;

  /** Unix seconds. */
  expires_at: number;

  /** The URL to put in the iframe's `src`. */
  embed_url: string;
}
