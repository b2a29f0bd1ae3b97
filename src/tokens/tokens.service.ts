import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { secretMatches } from '../common/crypto/secret-tokens';
import { ErrorDetail, ValidationError } from '../common/errors/app.exception';
import { AppConfig } from '../config/configuration';
import { DashboardsService } from '../dashboards/dashboards.service';
import { EndUsersService } from '../end-users/end-users.service';
import { MetricsService } from '../metrics/metrics.service';
import { parsePolicies, SecurityPolicies } from '../policies/policies';
import { InvalidSecurityPolicyError } from '../policies/policies.errors';
import { SemanticDomainsService } from '../semantic-domains/semantic-domains.service';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { Tenant } from '../tenants/entities/tenant.entity';
import { TenantSuspendedError } from '../tenants/tenants.errors';
import { TenantsService } from '../tenants/tenants.service';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { GenerateTokenDto, TokenResponseDto } from './dto/generate-token.dto';
import { DEFAULT_TOKEN_EXPIRY_SECONDS, EmbedTokenClaims, EmbedTokenType, MAX_CLAIMS_BYTES, TOKEN_AUDIENCE } from './embed-token';
import { InvalidTokenCredentialsError } from './tokens.errors';

const DASHBOARD_ONLY: Array<keyof GenerateTokenDto> = ['orgUserEmail'];
const PROJECT_ONLY: Array<keyof GenerateTokenDto> = ['tenantName', 'autoCreateEndUser', 'role', 'initialDashboardId', 'allowedSemanticDomains', 'sls'];

/** The subject, tenant and role a token is issued for. */
interface Actor {
  sub: string;
  tenantId: string | null;
  endUserId: string | null;
  role: 'VIEWER' | 'POWER_USER' | null;
}

/** The seed-002 Tokens API: dashboard and project tokens, signed with the active ES256 key. */
@Injectable()
export class TokensService {
  constructor(
    private readonly config: AppConfig,
    private readonly signingKeys: SigningKeysService,
    private readonly dashboards: DashboardsService,
    private readonly workspaces: WorkspacesService,
    private readonly tenants: TenantsService,
    private readonly endUsers: EndUsersService,
    private readonly semanticDomains: SemanticDomainsService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async generate(dto: GenerateTokenDto): Promise<TokenResponseDto> {
    const type: EmbedTokenType = dto.type ?? 'dashboard';
    refuseFieldsOfOtherType(dto, type);
    const policies = parsePolicies(dto);
    return type === 'project' ? this.projectToken(dto, policies) : this.dashboardToken(dto, policies);
  }

  /** Signs a token with every claim bound; shared with iframe tokens. */
  async issue(claims: Omit<EmbedTokenClaims, 'iss' | 'aud' | 'jti' | 'iat' | 'nbf' | 'exp'>, expiresInSeconds: number, actor: string): Promise<TokenResponseDto> {
    const nowMs = Date.now();
    const iat = Math.floor(nowMs / 1000);
    const payload: EmbedTokenClaims = {
      iss: this.config.http.publicUrl,
      aud: TOKEN_AUDIENCE[claims.typ],
      jti: randomUUID(),
      iat: nowMs / 1000,
      nbf: iat,
      exp: iat + expiresInSeconds,
      ...claims,
    };
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json, 'utf8') > MAX_CLAIMS_BYTES) {
      throw new InvalidSecurityPolicyError('', `the token's claims exceed ${MAX_CLAIMS_BYTES} bytes; send smaller policies, params or config`);
    }
    const accessToken = await this.signingKeys.signJson(json);
    this.audit.record({
      organizationId: claims.org,
      action: 'token.issued',
      actor,
      tenantId: claims.tenantId,
      workspaceId: claims.projectId,
      dashboardId: claims.dashboardId,
      endUserId: claims.endUserId,
      jti: payload.jti,
      detail: { type: claims.typ, expiresIn: expiresInSeconds },
    });
    this.metrics.tokenIssued(claims.typ);
    return { accessToken, tokenType: 'Bearer', expiresIn: expiresInSeconds, expiresAt: new Date(payload.exp * 1000).toISOString() };
  }

  private async dashboardToken(dto: GenerateTokenDto, policies: SecurityPolicies): Promise<TokenResponseDto> {
    requireFields(dto, ['dashboardId', 'dashboardSecret']);
    const dashboard = await this.dashboards.findBySecretCredential(dto.dashboardId!);
    const valid = secretMatches(dto.dashboardSecret!, dashboard?.secretHash);
    if (!dashboard || !valid) throw new InvalidTokenCredentialsError();
    if (dto.tenantId !== undefined && dto.tenantId !== dashboard.tenantId) {
      throw new ValidationError('Request validation failed', [{ field: 'tenantId', message: "tenantId must be the dashboard's tenant" }]);
    }
    if (!dashboard.tenantActive) throw new TenantSuspendedError();
    const endUserId = dto.endUserId ?? null;
    const sub = endUserId ? `end-user:${endUserId}` : dto.orgUserId ? `org-user:${dto.orgUserId}` : `tenant:${dashboard.tenantId}`;
    return this.issue(
      {
        sub,
        typ: 'dashboard',
        org: dashboard.organizationId,
        projectId: dashboard.workspaceId,
        tenantId: dashboard.tenantId,
        dashboardId: dashboard.dashboardId,
        endUserId,
        role: null,
        allowEdit: dto.allowEdit ?? false,
        ...policyClaims(policies),
        initialDashboardId: null,
        allowedSemanticDomains: null,
      },
      dto.tokenExpiry ?? DEFAULT_TOKEN_EXPIRY_SECONDS,
      'dashboard-secret',
    );
  }

  private async projectToken(dto: GenerateTokenDto, policies: SecurityPolicies): Promise<TokenResponseDto> {
    requireFields(dto, ['projectId', 'projectSecret']);
    const workspace = await this.workspaces.findByProjectSecret(dto.projectId!, dto.projectSecret!);
    if (!workspace) throw new InvalidTokenCredentialsError();
    const org = workspace.organizationId;

    const tenant = await this.resolveTenant(org, dto);
    const actor = await this.resolveActor(org, workspace.id, tenant, dto);
    if (dto.initialDashboardId !== undefined && !(await this.dashboards.existsInWorkspace(org, workspace.id, dto.initialDashboardId))) {
      throw new ValidationError('Request validation failed', [{ field: 'initialDashboardId', message: 'not a dashboard of this project' }]);
    }
    const domains = dto.allowedSemanticDomains ? await this.semanticDomains.resolve(org, workspace.id, dto.allowedSemanticDomains) : null;

    return this.issue(
      {
        sub: actor.sub,
        typ: 'project',
        org,
        projectId: workspace.id,
        tenantId: actor.tenantId,
        dashboardId: null,
        endUserId: actor.endUserId,
        role: actor.role,
        allowEdit: dto.allowEdit ?? false,
        ...policyClaims(policies),
        initialDashboardId: dto.initialDashboardId ?? null,
        allowedSemanticDomains: domains ? domains.map((d) => d.id) : null,
      },
      dto.tokenExpiry ?? DEFAULT_TOKEN_EXPIRY_SECONDS,
      'project-secret',
    );
  }

  private async resolveTenant(org: string, dto: GenerateTokenDto): Promise<Tenant | null> {
    if (dto.tenantId !== undefined) return this.tenants.getActive(org, dto.tenantId);
    if (dto.tenantName !== undefined) return this.tenants.getActiveByName(org, dto.tenantName);
    return null;
  }

  /** seed 002: `endUserId`, or `endUserEmail` + tenant, or `orgUserId`. */
  private async resolveActor(org: string, workspaceId: string, tenant: Tenant | null, dto: GenerateTokenDto): Promise<Actor> {
    if (dto.endUserId !== undefined || dto.endUserEmail !== undefined) {
      if (dto.endUserId === undefined && !tenant) {
        throw new ValidationError('Request validation failed', [{ field: 'tenantId', message: 'endUserEmail needs tenantId or tenantName' }]);
      }
      const endUser = await this.endUsers.findOrCreate({
        organizationId: org,
        workspaceId,
        tenantId: tenant?.id ?? null,
        externalId: dto.endUserId,
        email: dto.endUserEmail,
        displayName: dto.displayName,
        role: dto.role,
        autoCreate: dto.autoCreateEndUser ?? false,
      });
      if (tenant && endUser.tenantId && endUser.tenantId !== tenant.id) {
        // Never issue a token for one tenant to a person of another.
        throw new ValidationError('Request validation failed', [{ field: 'tenantId', message: "the end user belongs to another tenant" }]);
      }
      return { sub: `end-user:${endUser.id}`, tenantId: endUser.tenantId ?? tenant?.id ?? null, endUserId: endUser.id, role: endUser.role };
    }
    if (dto.orgUserId !== undefined) {
      return { sub: `org-user:${dto.orgUserId}`, tenantId: tenant?.id ?? null, endUserId: null, role: dto.role ?? 'VIEWER' };
    }
    throw new ValidationError('Request validation failed', [
      { field: 'endUserId', message: 'a project token needs endUserId, endUserEmail with tenantId/tenantName, or orgUserId' },
    ]);
  }
}

function policyClaims(policies: SecurityPolicies): Pick<EmbedTokenClaims, 'cls' | 'rcls' | 'sls' | 'params' | 'config'> {
  return {
    cls: policies.cls ?? null,
    rcls: policies.rcls ?? null,
    sls: policies.sls ?? null,
    params: policies.params ?? null,
    config: policies.config ?? null,
  };
}

function requireFields(dto: GenerateTokenDto, fields: Array<keyof GenerateTokenDto>): void {
  const details: ErrorDetail[] = fields.filter((f) => dto[f] === undefined).map((field) => ({ field, message: `${field} is required` }));
  if (details.length > 0) throw new ValidationError('Request validation failed', details);
}

function refuseFieldsOfOtherType(dto: GenerateTokenDto, type: EmbedTokenType): void {
  const foreign = type === 'dashboard' ? PROJECT_ONLY : [...DASHBOARD_ONLY, 'dashboardId', 'dashboardSecret'];
  const misplaced = type === 'dashboard' ? ['projectId', 'projectSecret'] : [];
  const details = [...foreign, ...misplaced]
    .filter((field) => dto[field as keyof GenerateTokenDto] !== undefined)
    .map((field) => ({ field, message: `${field} does not apply to ${type} tokens` }));
  if (details.length > 0) throw new ValidationError('Request validation failed', details);
}
