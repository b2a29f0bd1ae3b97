import { Injectable } from '@nestjs/common';
import { WorkspaceConnection } from '../../workspaces/workspace-connection';
import { AnalyticsProvider, CreateDashboardInput, ProviderDashboard } from '../analytics-provider';
import { BuiltinDashboardsService } from './builtin-dashboards.service';

/** Dashboards hosted by Tessera: no network, its own table. */
@Injectable()
export class BuiltinProvider extends AnalyticsProvider {
  readonly kind = 'builtin' as const;
  readonly iframeTokenFormat = 'tessera' as const;

  constructor(private readonly dashboards: BuiltinDashboardsService) {
    super();
  }

  async createDashboard(connection: WorkspaceConnection, input: CreateDashboardInput): Promise<ProviderDashboard> {
    const dashboard = await this.dashboards.create({
      organizationId: connection.organizationId,
      workspaceId: connection.workspaceId,
      title: input.title,
      description: input.description,
    });
    return { dashboardId: dashboard.id };
  }

  async deleteDashboard(connection: WorkspaceConnection, dashboardId: string): Promise<void> {
    await this.dashboards.delete(connection.organizationId, connection.workspaceId, dashboardId);
  }
}
