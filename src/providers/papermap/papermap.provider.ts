import { Injectable } from '@nestjs/common';
import { WorkspaceConnection } from '../../workspaces/workspace-connection';
import { AnalyticsProvider, CreateDashboardInput, ProviderDashboard } from '../analytics-provider';
import { UpstreamAuthFailedError } from '../providers.errors';
import { PapermapClient, PapermapConnection } from './papermap.client';

/** Dashboards hosted by a Papermap-compatible provider; its iframe tokens use Papermap's format. */
@Injectable()
export class PapermapProvider extends AnalyticsProvider {
  override readonly kind = 'papermap';
  override readonly iframeTokenFormat = 'papermap';

  constructor(private readonly client: PapermapClient) {
    super();
  }

  override async createDashboard(connection: WorkspaceConnection, input: CreateDashboardInput): Promise<ProviderDashboard> {
    return this.client.createDashboard(papermapConnection(connection), input);
  }

  override async deleteDashboard(connection: WorkspaceConnection, dashboardId: string): Promise<void> {
    return this.client.deleteDashboard(papermapConnection(connection), dashboardId);
  }
}

/** Without every credential the request could only be refused upstream; say so without sending it. */
function papermapConnection(connection: WorkspaceConnection): PapermapConnection {
  const { apiUrl, apiKeyId, secretKey, workspaceId } = connection;
  if (!apiUrl || !apiKeyId || !secretKey) throw new UpstreamAuthFailedError();
  return { apiUrl, apiKeyId, secretKey, workspaceId };
}
