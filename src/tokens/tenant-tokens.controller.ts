import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { MetricsService } from '../metrics/metrics.service';
import { RevocationService } from '../revocation/revocation.service';
import { TenantsService } from '../tenants/tenants.service';
import { TenantRevocationDto } from './dto/validate-token.dto';

@ApiTags('tokens')
@Controller('api/v1/tenants')
export class TenantTokensController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly revocation: RevocationService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Revoke the tenant's tokens
   *
   * @remarks Admins only. Every embed token issued for the tenant up to now stops working on every
   * instance within a second; tokens issued afterwards work.
   */
  @Post(':tenantId/tokens/revoke')
  @AdminOnly()
  @HttpCode(200)
  @ApiEnvelope(TenantRevocationDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  async revoke(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<TenantRevocationDto> {
    await this.tenants.get(caller, tenantId);
    const cutoff = await this.revocation.revokeScope(caller.organizationId, 'tenant', tenantId);
    this.metrics.tokenRevoked('tenant');
    this.audit.record({ organizationId: caller.organizationId, action: 'tenant.tokens_revoked', actor: `caller:${caller.userId}`, tenantId });
    return { tenant_id: tenantId, revoked_before: cutoff.toISOString() };
  }
}
