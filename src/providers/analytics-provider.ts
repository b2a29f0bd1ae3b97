import { ProviderKind } from '../workspaces/entities/workspace.entity';
import { WorkspaceConnection } from '../workspaces/workspace-connection';

export interface CreateDashboardInput {
  title: string;
  description: string | null;
}

export interface ProviderDashboard {
  /** The provider's id for the dashboard (`dashboard_id` in the API). */
  dashboardId: string;
}

/** How iframe tokens for this provider's dashboards are made (see the tokens module). */
export type IframeTokenFormat = 'tessera' | 'papermap';

/**
 * An analytics provider that hosts dashboards. One implementation per `provider` kind of a
 * workspace; add a kind by adding an implementation to ProvidersModule's list, nothing else.
 * Failures are thrown as the errors in providers.errors.ts (never with secrets in them).
 */
export abstract class AnalyticsProvider {
  abstract readonly kind: ProviderKind;
  abstract readonly iframeTokenFormat: IframeTokenFormat;

  /** Creates one dashboard. Not retried in a way that could create two. */
  abstract createDashboard(connection: WorkspaceConnection, input: CreateDashboardInput): Promise<ProviderDashboard>;

  /** Deletes a dashboard; one the provider does not know counts as deleted. */
  abstract deleteDashboard(connection: WorkspaceConnection, dashboardId: string): Promise<void>;
}
