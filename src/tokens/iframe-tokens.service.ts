import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { ValidationError } from '../common/errors/app.exception';
import { AppConfig } from '../config/configuration';
import { DashboardsService } from '../dashboards/dashboards.service';
import { signPapermap } from '../providers/papermap';
import { IframeTokenDto, IframeTokenRequestDto } from './dto/iframe-token.dto';
import { TokensService } from './tokens.service';

export const DEFAULT_IFRAME_TOKEN_SECONDS = 3_600;
export const MAX_IFRAME_TOKEN_SECONDS = 86_400;

/**
 * Seed 001's iframe tokens. `builtin` workspaces get a Tessera dashboard token and Tessera's
 * embed page; `papermap` workspaces get the Papermap format their provider verifies.
 */
@Injectable()
export class IframeTokensService {
  constructor(
    private readonly config: AppConfig,
    private readonly dashboards: DashboardsService,
    private readonly tokens: TokensService,
  ) {}

  async create(caller: Caller, dto: IframeTokenRequestDto): Promise<IframeTokenDto> {
    const org = caller.organizationId;
    const now = Math.floor(Date.now() / 1000);
    const validUntil = dto.valid_until ?? now + DEFAULT_IFRAME_TOKEN_SECONDS;
    if (validUntil <= now) throw new ValidationError('Request validation failed', [{ field: 'valid_until', message: 'valid_until is in the past' }]);
    if (validUntil > now + MAX_IFRAME_TOKEN_SECONDS) {
      throw new ValidationError('Request validation failed', [{ field: 'valid_until', message: 'valid_until is more than 24 h ahead' }]);
    }
    // 404 unless it is that tenant's dashboard in that workspace (no IDOR across tenants); 403 if suspended.
    const { dashboardId, connection } = await this.dashboards.findIframeTarget(org, dto.tenant_id, dto.workspace_id, dto.dashboard_id);
    // encodeURIComponent is native; URLSearchParams encodes a ~1 KB token character by character in JS.
    const query = (token: string): string =>
      `embedded-token=${encodeURIComponent(token)}&workspace-id=${encodeURIComponent(dto.workspace_id)}&dashboard-id=${encodeURIComponent(dto.dashboard_id)}`;

    if (connection.provider === 'papermap') {
      const token = papermapIframeToken({
        api_key_id: connection.apiKeyId!,
        workspace_id: dto.workspace_id,
        tenant_id: dto.tenant_id,
        dashboard_id: dto.dashboard_id,
        valid_until: validUntil,
        signature: signPapermap(dto.workspace_id, validUntil, connection.secretKey!),
      });
      return { token, dashboard_id: dto.dashboard_id, expires_at: validUntil, embed_url: `${connection.embedUrl}?${query(token)}` };
    }

    const issued = await this.tokens.issue(
      {
        sub: `tenant:${dto.tenant_id}`,
        typ: 'dashboard',
        org,
        projectId: dto.workspace_id,
        tenantId: dto.tenant_id,
        dashboardId,
        endUserId: null,
        role: null,
        allowEdit: false,
        cls: null,
        rcls: null,
        sls: null,
        params: null,
        config: null,
        initialDashboardId: null,
        allowedSemanticDomains: null,
      },
      validUntil - now,
      `caller:${caller.userId}`,
    );
    return {
      token: issued.accessToken,
      dashboard_id: dto.dashboard_id,
      expires_at: validUntil,
      embed_url: `${this.config.http.publicUrl}/embedded/dashboard?${query(issued.accessToken)}`,
    };
  }
}

/** Python's `urlsafe_b64encode(json)` as Papermap expects: URL-safe alphabet, padding kept. */
export function papermapIframeToken(fields: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
