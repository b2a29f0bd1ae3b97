import { Injectable } from '@nestjs/common';
import { DashboardsService } from '../dashboards/dashboards.service';
import { BuiltinDashboardsService } from '../providers/builtin/builtin-dashboards.service';
import { TenantsService } from '../tenants/tenants.service';
import { EmbedTokenClaims, TOKEN_AUDIENCE } from '../tokens/embed-token';
import { InvalidTokenError } from '../tokens/tokens.errors';
import { TokenVerificationService } from '../tokens/token-verification.service';
import { EmbedRefreshDto, EmbedRefreshResultDto } from './dto/refresh.dto';
import { EmbedContext } from './embed-context';
import { NotHostedHereError } from './embed.errors';

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** The built-in provider's embed page: who may see which dashboard, decided by the token alone. */
@Injectable()
export class EmbedService {
  constructor(
    private readonly verification: TokenVerificationService,
    private readonly tenants: TenantsService,
    private readonly dashboards: DashboardsService,
    private readonly hosted: BuiltinDashboardsService,
  ) {}

  /**
   * Verifies a dashboard token for this workspace and dashboard (signature, expiry, audience,
   * revocation), that the tenant is active and the dashboard still exists here.
   */
  async open(token: string | undefined, workspaceId: string | undefined, dashboardId: string | undefined): Promise<EmbedContext> {
    if (!token || !workspaceId || !dashboardId) throw new InvalidTokenError();
    const claims = await this.verifyFor(token, workspaceId, dashboardId);
    const tenant = await this.tenants.getActive(claims.org, claims.tenantId!);
    await this.dashboards.findForEmbedPage(claims.org, tenant.id, workspaceId, dashboardId);
    const dashboard = await this.hosted.find(dashboardId);
    if (!dashboard || dashboard.organizationId !== claims.org || dashboard.workspaceId !== workspaceId) throw new NotHostedHereError();

    const config = claims.config ?? {};
    return {
      token,
      expiresAt: claims.exp,
      workspaceId,
      dashboardId,
      tenant: { id: tenant.id, name: tenant.name },
      dashboard: { title: dashboard.title, description: dashboard.description },
      allowedOrigins: tenant.allowedOrigins,
      security: { rcls: claims.rcls, cls: claims.cls, sls: claims.sls, params: claims.params },
      config: {
        theme: config.theme === 'dark' ? 'dark' : 'light',
        locale: typeof config.locale === 'string' && LOCALE.test(config.locale) ? config.locale : null,
      },
    };
  }

  /**
   * Silent refresh: the token in use must still be good (a revoked session ends here), and the new
   * one must be a good token for the same organization, tenant, workspace and dashboard.
   */
  async refresh(dto: EmbedRefreshDto): Promise<EmbedRefreshResultDto> {
    const current = await this.verifyFor(dto.current, dto.workspaceId, dto.dashboardId);
    const next = await this.verifyFor(dto.next, dto.workspaceId, dto.dashboardId);
    if (next.org !== current.org || next.tenantId !== current.tenantId) throw new InvalidTokenError();
    await this.tenants.getActive(next.org, next.tenantId!);
    return { expiresAt: next.exp };
  }

  private async verifyFor(token: string, workspaceId: string, dashboardId: string): Promise<EmbedTokenClaims> {
    const claims = await this.verification.verify(token, [TOKEN_AUDIENCE.dashboard]);
    if (claims.projectId !== workspaceId || claims.dashboardId !== dashboardId || !claims.tenantId) throw new InvalidTokenError();
    return claims;
  }
}
