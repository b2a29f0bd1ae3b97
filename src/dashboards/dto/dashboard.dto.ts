import { IsOptional, IsString, Length } from 'class-validator';
import { ApiResourceId } from '../../common/swagger/api-property.decorators';
import { IsResourceId } from '../../common/validation/validators';
import { Dashboard } from '../entities/dashboard.entity';

/** Seed 001's request. */
export class CreateDashboardDto {
  /**
   * Your tenant id; the tenant is created on its first dashboard if it does not exist.
   * @example org-123
   */
  @ApiResourceId()
  @IsResourceId()
  tenant_id: string;

  /**
   * One of your organization's workspaces.
   * @example workspace-456
   */
  @ApiResourceId()
  @IsResourceId()
  workspace_id: string;

  /**
   * Dashboard title at the provider.
   * @example "Sales overview"
   */
  @IsString()
  @Length(1, 200)
  name: string;

  /**
   * Dashboard description at the provider.
   * @example "Orders and revenue by region"
   */
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;
}

export class DashboardDto {
  /**
   * Tessera's id of the mapping.
   * @example 0b8f6a52-3c1d-4e7a-9f20-6d5c4b3a2e10
   */
  id: string;

  /**
   * Your tenant id.
   * @example org-123
   */
  tenant_id: string;

  /**
   * The workspace it lives in.
   * @example workspace-456
   */
  workspace_id: string;

  /**
   * The provider's dashboard id (the Tokens API's `dashboardId`).
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  dashboard_id: string;

  /**
   * Dashboard title.
   * @example "Sales overview"
   */
  name: string;

  /**
   * Dashboard description.
   * @example "Orders and revenue by region"
   */
  description: string | null;

  /**
   * The caller (`sub`) who created it.
   * @example user-1
   */
  created_by: string;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
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
  /**
   * `ds_…`: the Tokens API credential for this dashboard. Shown this once; store it now.
   * @example ds_Jx4mQ8vN2pR6sT0wY3zA7cE1gH5kL9oB2uI6eW0bFd8
   */
  dashboard_secret: string;
}

export class DashboardSecretDto {
  /**
   * The new `ds_…` secret; the old one stops working now. Shown this once.
   * @example ds_Jx4mQ8vN2pR6sT0wY3zA7cE1gH5kL9oB2uI6eW0bFd8
   */
  dashboard_secret: string;
}
