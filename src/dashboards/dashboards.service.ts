import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { isAdmin } from '../auth/access';
import { Caller } from '../auth/caller';
import { generateSecret, hashSecret } from '../common/crypto/secret-tokens';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { InjectLogger, Logger } from '../common/logging/logger';
import { isUniqueViolation } from '../database/database-errors';
import { BatchedLookup, PreparedQueries, preparedStatement } from '../database/prepared-queries';
import { AnalyticsProviders } from '../providers/analytics-providers';
import { RevocationService } from '../revocation/revocation.service';
import { TenantSuspendedError } from '../tenants/tenants.errors';
import { TenantsService } from '../tenants/tenants.service';
import { WorkspaceConnection } from '../workspaces/workspace-connection';
import { WorkspaceConnectionColumns, WorkspacesService } from '../workspaces/workspaces.service';
import { ProviderKind } from '../workspaces/entities/workspace.entity';
import { DashboardExistsError, DashboardIdCollisionError, DashboardNotFoundError } from './dashboards.errors';
import { CreateDashboardDto, CreatedDashboardDto, DashboardDto, DashboardSecretDto } from './dto/dashboard.dto';
import { Dashboard } from './entities/dashboard.entity';

export const DASHBOARD_SECRET_PREFIX = 'ds';
/** A reservation older than this was left by a crash; it is removed (at start, or when in the way). */
export const STALE_RESERVATION_MS = 5 * 60_000;

/*
 * The token-issuance and read paths run on every page view: each is one prepared statement, and
 * concurrent lookups share a round trip (BatchedLookup: keys in arrays, unnest … WITH ORDINALITY).
 * Every lookup is scoped to the caller's organization, except the Tokens API's: there the
 * dashboard secret is the credential, and the organization comes from the row it unlocks.
 */
const ACTIVE_OF_TENANT = preparedStatement(
  'dashboard_active_of_tenant',
  `SELECT k.i, d.id, d.tenant_id, d.workspace_id, d.dashboard_id, d.name, d.description, d.created_by, d.created_at
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(organization_id, tenant_id, i)
     JOIN dashboards d ON d.organization_id = k.organization_id AND d.tenant_id = k.tenant_id AND d.status = 'active'`,
);
const IFRAME_TARGET = preparedStatement(
  'dashboard_iframe_target',
  `SELECT k.i, d.dashboard_id, t.status AS tenant_status,
          w.provider, w.api_url, w.api_key_id, w.secret_key_sealed, w.embed_url
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(organization_id, tenant_id, workspace_id, dashboard_id, i)
     JOIN dashboards d ON d.organization_id = k.organization_id AND d.tenant_id = k.tenant_id
                      AND d.workspace_id = k.workspace_id AND d.dashboard_id = k.dashboard_id AND d.status = 'active'
     JOIN tenants t ON t.organization_id = d.organization_id AND t.id = d.tenant_id
     JOIN workspaces w ON w.organization_id = d.organization_id AND w.id = d.workspace_id`,
);
const BY_PROVIDER_ID = preparedStatement(
  'dashboard_by_provider_id',
  `SELECT k.i, d.organization_id, d.tenant_id, d.workspace_id, d.dashboard_id, d.secret_hash, t.status AS tenant_status
     FROM unnest($1::text[]) WITH ORDINALITY AS k(dashboard_id, i)
     JOIN dashboards d ON d.dashboard_id = k.dashboard_id AND d.status = 'active'
     JOIN tenants t ON t.organization_id = d.organization_id AND t.id = d.tenant_id`,
);

/** The DTO's columns as stored: `created_at` arrives as a Date. */
type ActiveOfTenantRow = Omit<DashboardDto, 'created_at'> & { created_at: Date };

interface IframeTargetRow {
  dashboard_id: string;
  tenant_status: string;
  provider: ProviderKind;
  api_url: string | null;
  api_key_id: string | null;
  secret_key_sealed: string | null;
  embed_url: string | null;
}

interface ByProviderIdRow {
  organization_id: string;
  tenant_id: string;
  workspace_id: string;
  dashboard_id: string;
  secret_hash: string;
  tenant_status: string;
}

/** What an iframe token is issued for: the provider's dashboard id and how to reach its provider. */
export interface IframeTarget {
  dashboardId: string;
  connection: WorkspaceConnection;
}

/** A Tokens API credential's dashboard; `secretHash` is checked by the caller, in constant time. */
export interface SecretDashboard {
  organizationId: string;
  tenantId: string;
  workspaceId: string;
  dashboardId: string;
  secretHash: string;
  tenantActive: boolean;
}

@Injectable()
export class DashboardsService implements OnApplicationBootstrap {
  private readonly activeOfTenant: BatchedLookup<ActiveOfTenantRow>;
  private readonly iframeTargets: BatchedLookup<IframeTargetRow>;
  private readonly byProviderId: BatchedLookup<ByProviderIdRow>;

  constructor(
    @InjectRepository(Dashboard) private readonly dashboards: Repository<Dashboard>,
    private readonly tenants: TenantsService,
    private readonly workspaces: WorkspacesService,
    private readonly providers: AnalyticsProviders,
    private readonly revocation: RevocationService,
    sql: PreparedQueries,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.activeOfTenant = sql.batched<ActiveOfTenantRow>(ACTIVE_OF_TENANT, 2);
    this.iframeTargets = sql.batched<IframeTargetRow>(IFRAME_TARGET, 4);
    this.byProviderId = sql.batched<ByProviderIdRow>(BY_PROVIDER_ID, 1);
  }

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.dashboards.delete({ status: 'pending', createdAt: LessThan(new Date(Date.now() - STALE_RESERVATION_MS)) });
    if (result.affected) this.logger.warn({ removed: result.affected }, 'removed stale dashboard reservations');
  }

  /**
   * Exactly once per tenant: reserve the mapping (the unique constraint lets one concurrent
   * create through), create at the provider, activate. A failed provider call releases the
   * reservation; a failed activation deletes the dashboard at the provider again.
   */
  async create(caller: Caller, dto: CreateDashboardDto): Promise<CreatedDashboardDto> {
    const organizationId = caller.organizationId;
    const connection = await this.workspaces.getForOrganization(organizationId, dto.workspace_id);
    const { created: tenantCreated } = await this.tenants.ensureActive(organizationId, dto.tenant_id);
    // Leave nothing behind when the dashboard cannot be made: not the reservation, not an implicit tenant.
    const undo = async (): Promise<void> => {
      if (tenantCreated) await this.tenants.removeImplicit(organizationId, dto.tenant_id);
    };
    let reservation: Dashboard;
    try {
      reservation = await this.reserve(caller, dto);
    } catch (error) {
      await undo();
      throw error;
    }

    const provider = this.providers.for(connection.provider);
    let dashboardId: string;
    try {
      ({ dashboardId } = await provider.createDashboard(connection, { title: dto.name, description: dto.description ?? null }));
    } catch (error) {
      await this.release(reservation.id);
      await undo();
      throw error;
    }

    const secret = generateSecret(DASHBOARD_SECRET_PREFIX);
    try {
      const activated = await this.dashboards.update(
        { id: reservation.id, status: 'pending' },
        { dashboardId, status: 'active', secretHash: hashSecret(secret) },
      );
      if (activated.affected !== 1) throw new Error('dashboard reservation disappeared before activation');
    } catch (error) {
      if (isUniqueViolation(error)) {
        // The provider returned an id that another mapping holds: never delete it there.
        await this.release(reservation.id);
        await undo();
        throw new DashboardIdCollisionError();
      }
      await this.undoProviderCreate(connection, dashboardId);
      await this.release(reservation.id);
      await undo();
      throw error;
    }
    const dashboard = await this.dashboards.findOneByOrFail({ id: reservation.id });
    return { ...DashboardDto.from(dashboard), dashboard_secret: secret };
  }

  /** Admins: every dashboard of the organization; members: those of their tenants. */
  async list(caller: Caller, page: PaginationQueryDto): Promise<Page<DashboardDto>> {
    if (!isAdmin(caller) && caller.tenants.length === 0) return new Page([], 0);
    const [rows, total] = await this.dashboards.findAndCount({
      where: {
        organizationId: caller.organizationId,
        status: 'active',
        ...(isAdmin(caller) ? {} : { tenantId: In([...caller.tenants]) }),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.limit,
    });
    return new Page(rows.map(DashboardDto.from), total);
  }

  async getByTenant(caller: Caller, tenantId: string): Promise<DashboardDto> {
    const row = await this.activeOfTenant.find(caller.organizationId, tenantId);
    if (!row) throw new DashboardNotFoundError();
    return { ...row, created_at: row.created_at.toISOString() };
  }

  /** At the provider first (a dashboard it does not know counts as deleted), then the mapping. */
  async remove(caller: Caller, tenantId: string): Promise<void> {
    const dashboard = await this.findActive(caller.organizationId, tenantId);
    const connection = await this.workspaces.getForOrganization(caller.organizationId, dashboard.workspaceId);
    await this.providers.for(connection.provider).deleteDashboard(connection, dashboard.dashboardId!);
    await this.dashboards.delete({ id: dashboard.id });
    // Tokens already issued for it stop working everywhere.
    await this.revocation.revokeScope(caller.organizationId, 'dashboard', dashboard.dashboardId!);
  }

  /**
   * For the Tokens API: the active dashboard with this provider id, in any organization, with
   * whether its tenant is active. Null when there is none.
   */
  async findBySecretCredential(dashboardId: string): Promise<SecretDashboard | null> {
    const row = await this.byProviderId.find(dashboardId);
    if (!row) return null;
    return {
      organizationId: row.organization_id,
      tenantId: row.tenant_id,
      workspaceId: row.workspace_id,
      dashboardId: row.dashboard_id,
      secretHash: row.secret_hash,
      tenantActive: row.tenant_status === 'active',
    };
  }

  /**
   * For iframe tokens, in one round trip: 404 unless it is the tenant's active dashboard in that
   * workspace with that provider id (no IDOR across tenants), 403 if the tenant is suspended.
   */
  async findIframeTarget(organizationId: string, tenantId: string, workspaceId: string, dashboardId: string): Promise<IframeTarget> {
    const row = await this.iframeTargets.find(organizationId, tenantId, workspaceId, dashboardId);
    if (!row) throw new DashboardNotFoundError();
    if (row.tenant_status !== 'active') throw new TenantSuspendedError();
    const workspace: WorkspaceConnectionColumns = {
      organizationId,
      id: workspaceId,
      provider: row.provider,
      apiUrl: row.api_url,
      apiKeyId: row.api_key_id,
      secretKeySealed: row.secret_key_sealed,
      embedUrl: row.embed_url,
    };
    return { dashboardId: row.dashboard_id, connection: this.workspaces.connectionOf(workspace) };
  }

  /**
   * For the embed page (not a hot path; iframe-token issuance uses findIframeTarget): the tenant's
   * active dashboard, only if it is in that workspace and has that provider id.
   */
  async findForEmbedPage(organizationId: string, tenantId: string, workspaceId: string, dashboardId: string): Promise<Dashboard> {
    const dashboard = await this.dashboards.findOneBy({ organizationId, tenantId, workspaceId, dashboardId, status: 'active' });
    if (!dashboard) throw new DashboardNotFoundError();
    return dashboard;
  }

  /** For project tokens: is this an active dashboard of the workspace? */
  existsInWorkspace(organizationId: string, workspaceId: string, dashboardId: string): Promise<boolean> {
    return this.dashboards.exists({ where: { organizationId, workspaceId, dashboardId, status: 'active' } });
  }

  async rotateSecret(caller: Caller, tenantId: string): Promise<DashboardSecretDto> {
    const secret = generateSecret(DASHBOARD_SECRET_PREFIX);
    const result = await this.dashboards.update(
      { organizationId: caller.organizationId, tenantId, status: 'active' },
      { secretHash: hashSecret(secret) },
    );
    if (result.affected === 0) throw new DashboardNotFoundError();
    return { dashboard_secret: secret };
  }

  private async findActive(organizationId: string, tenantId: string): Promise<Dashboard> {
    const dashboard = await this.dashboards.findOneBy({ organizationId, tenantId, status: 'active' });
    if (!dashboard) throw new DashboardNotFoundError();
    return dashboard;
  }

  private async reserve(caller: Caller, dto: CreateDashboardDto): Promise<Dashboard> {
    const key = { organizationId: caller.organizationId, tenantId: dto.tenant_id };
    // A reservation left by a crash must not block the tenant for ever.
    await this.dashboards.delete({ ...key, status: 'pending', createdAt: LessThan(new Date(Date.now() - STALE_RESERVATION_MS)) });
    try {
      const inserted = await this.dashboards.insert({
        ...key,
        workspaceId: dto.workspace_id,
        name: dto.name,
        description: dto.description ?? null,
        status: 'pending',
        createdBy: caller.userId,
      });
      return this.dashboards.create({ ...key, id: inserted.identifiers[0].id as string });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DashboardExistsError();
      throw error;
    }
  }

  /** Best effort: if the database is down too, the start-up sweep removes it later. */
  private async release(reservationId: string): Promise<void> {
    try {
      await this.dashboards.delete({ id: reservationId, status: 'pending' });
    } catch (error) {
      this.logger.error({ err: error, reservationId }, 'could not release a dashboard reservation');
    }
  }

  private async undoProviderCreate(connection: WorkspaceConnection, dashboardId: string): Promise<void> {
    try {
      await this.providers.for(connection.provider).deleteDashboard(connection, dashboardId);
      this.logger.warn({ workspaceId: connection.workspaceId, dashboardId }, 'deleted a provider dashboard whose mapping could not be stored');
    } catch (error) {
      this.logger.error({ err: error, workspaceId: connection.workspaceId, dashboardId }, 'orphaned provider dashboard: delete it at the provider');
    }
  }
}
