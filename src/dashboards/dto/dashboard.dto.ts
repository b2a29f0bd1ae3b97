import { IsOptional, IsString, Length } from 'class-validator';
import { IsResourceId } from '../../common/validation/validators';
import { Dashboard } from '../entities/dashboard.entity';

/** Seed 001's request. */
export class CreateDashboardDto {
  /** Your tenant id; the tenant is created on its first dashboard if it does not exist. */
  @IsResourceId()
  tenant_id: string;

  /** One of your organization's workspaces. */
  @IsResourceId()
  workspace_id: string;

  /** Dashboard title at the provider. */
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;
}

export class DashboardDto {
  /** Tessera's id of the mapping. */
  id: string;

  tenant_id: string;

  workspace_id: string;

  /** The provider's dashboard id (the Tokens API's `dashboardId`). */
  dashboard_id: string;

  name: string;

  description: string | null;

  /** The caller (`sub`) who created it. */
  created_by: string;

  /** ISO-8601, UTC. */
  created_at: string;

  static from(dashboard: Dashboard): DashboardDto {
    return {
      id: dashboard.id,
      tenant_id: dashboard.tenantId,
      workspace_id: dashboard.workspaceId,
      dashboard_id: dashboard.dashboardId!,
      name: dashboard.name,
      description: dashboard.description,
      created_by: dashboard.createdBy,
      created_at: dashboard.createdAt.toISOString(),
    };
  }
}

export class CreatedDashboardDto extends DashboardDto {
  /** `ds_…`: the Tokens API credential for this dashboard. Shown this once; store it now. */
  dashboard_secret: string;
}

export class DashboardSecretDto {
  /** The new `ds_…` secret; the old one stops working now. Shown this once. */
  dashboard_secret: string;
}
