import { IsOptional, IsString, Length } from 'class-validator';
import { IsResourceId } from '../../../common/validation/validators';

/** Seed 000's request body, exactly what the Papermap client sends. */
export class ExternalCreateDashboardDto {
  /** Must equal the signed `X-Workspace-ID` header. */
  @IsResourceId()
  workspace_id: string;

  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string | null;
}

export class ExternalDashboardDto {
  dashboard_id: string;

  workspace_id: string;

  title: string;

  description: string | null;

  /** ISO-8601, UTC. */
  created_at: string;
}

/** Seed 000 reads `response["data"]["data"]["dashboard_id"]`: the envelope's `data` holds `{data: …}`. */
export class ExternalDashboardResponseDto {
  data: ExternalDashboardDto;
}
