import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { ApiResourceId } from '../../common/swagger/api-property.decorators';
import { IsResourceId } from '../../common/validation/validators';

/** Seed 001's iframe-token request. */
export class IframeTokenRequestDto {
  /**
   * Your tenant id.
   * @example org-123
   */
  @ApiResourceId()
  @IsResourceId()
  tenant_id: string;

  /**
   * The workspace of the tenant's dashboard.
   * @example workspace-456
   */
  @ApiResourceId()
  @IsResourceId()
  workspace_id: string;

  /**
   * The tenant's dashboard (`dashboard_id`) in that workspace.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  @IsString()
  @Length(1, 256)
  dashboard_id: string;

  /**
   * Unix seconds; default now + 1 h, at most now + 24 h, never in the past.
   * @example 1767225600
   */
  @ApiProperty({ required: false, type: 'integer', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  valid_until?: number;
}

export class IframeTokenDto {
  /**
   * Tessera dashboard token (`builtin`) or Papermap-format token (`papermap`).
   * @example eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJkYXNoYm9hcmQifQ.c2lnbmF0dXJl
   */
  token: string;

  /**
   * The dashboard it opens.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  dashboard_id: string;

  /**
   * Unix seconds.
   * @example 1767225600
   */
  @ApiProperty({ type: 'integer' })
  expires_at: number;

  /**
   * The URL to put in the iframe's `src`.
   * @example http://localhost:3000/embedded/dashboard?embedded-token=eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJkYXNoYm9hcmQifQ.c2lnbmF0dXJl&workspace-id=workspace-456&dashboard-id=dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  embed_url: string;
}

/** Named request examples of `POST /api/v1/dashboards/iframe-token`. */
export const IFRAME_TOKEN_EXAMPLES = {
  default: {
    summary: 'Valid for the default hour',
    value: { tenant_id: 'org-123', workspace_id: 'workspace-456', dashboard_id: 'dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19' },
  },
};
