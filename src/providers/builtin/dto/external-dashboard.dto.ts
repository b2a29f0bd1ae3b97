import { IsOptional, IsString, Length } from 'class-validator';
import { ApiResourceId } from '../../../common/swagger/api-property.decorators';
import { IsResourceId } from '../../../common/validation/validators';

/** Seed 000's request body, exactly what the Papermap client sends. */
export class ExternalCreateDashboardDto {
  /**
   * Must equal the signed `X-Workspace-ID` header.
   * @example workspace-456
   */
  @ApiResourceId()
  @IsResourceId()
  workspace_id: string;

  /**
   * Dashboard title.
   * @example "Sales overview"
   */
  @IsString()
  @Length(1, 200)
  title: string;

  /**
   * Dashboard description, or null.
   * @example "Orders and revenue by region"
   */
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string | null;
}

export class ExternalDashboardDto {
  /**
   * The new dashboard's id, unique across the deployment.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  dashboard_id: string;

  /**
   * The signed workspace.
   * @example workspace-456
   */
  workspace_id: string;

  /**
   * Dashboard title.
   * @example "Sales overview"
   */
  title: string;

  /**
   * Dashboard description, or null.
   * @example "Orders and revenue by region"
   */
  description: string | null;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  created_at: string;
}

/** Seed 000 reads `response["data"]["data"]["dashboard_id"]`: the envelope's `data` holds `{data: …}`. */
export class ExternalDashboardResponseDto {
  /** The created dashboard. */
  data: ExternalDashboardDto;
}
