import { ProviderKind } from './entities/workspace.entity';

/**
 * What the provider layer needs to reach a workspace's provider, with the secret key decrypted.
 * Only WorkspacesService builds it (getForOrganization, connectionOf); never serialize or log it.
 */
export interface WorkspaceConnection {
  organizationId: string;
  workspaceId: string;
  provider: ProviderKind;
  /** Effective API URL (`papermap`), else null. */
  apiUrl: string | null;
  apiKeyId: string | null;
  secretKey: string | null;
  /** Effective embed page (`papermap`), else null. */
  embedUrl: string | null;
}
