import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly, Authenticated, TenantAccess } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { DashboardsService } from './dashboards.service';
import { CreateDashboardDto, CreatedDashboardDto, DashboardDto, DashboardSecretDto } from './dto/dashboard.dto';

/** Seed 001's dashboard endpoints: one dashboard per tenant, created at the workspace's provider. */
@ApiTags('dashboards')
@Controller('api/v1/dashboards')
export class DashboardsController {
  constructor(private readonly dashboards: DashboardsService) {}

  /**
   * Create the tenant's dashboard
   *
   * @remarks Needs has_access to `tenant_id`. Creates the dashboard at the workspace's provider and
   * stores the mapping; the tenant is created on its first dashboard if it does not exist. The
   * response carries the `ds_…` dashboard secret for the Tokens API, this once: store it now.
   * One dashboard per tenant: a second (or a concurrent) create answers 409 `CONFLICT`. Provider
   * faults answer 502/503 and leave nothing behind.
   */
  @Post()
  @TenantAccess({ body: 'tenant_id' })
  @ApiEnvelope(CreatedDashboardDto, { status: 201, description: 'Created' })
  @ApiErrors(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.NOT_FOUND,
    ErrorCode.CONFLICT,
    ErrorCode.UPSTREAM_AUTH_FAILED,
    ErrorCode.UPSTREAM_ERROR,
    ErrorCode.UPSTREAM_UNAVAILABLE,
  )
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateDashboardDto): Promise<CreatedDashboardDto> {
    return this.dashboards.create(caller, dto);
  }

  /**
   * List dashboards
   *
   * @remarks The organization's dashboards (members: only their tenants'). `total` is the full count;
   * `limit` is at most 100.
   */
  @Get()
  @Authenticated()
  @ApiEnvelope(DashboardDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<DashboardDto>> {
    return this.dashboards.list(caller, page);
  }

  /**
   * Get the tenant's dashboard
   *
   * @remarks Needs has_access to the tenant. 404 `NOT_FOUND` when the tenant has no dashboard.
   */
  @Get(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @ApiEnvelope(DashboardDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<DashboardDto> {
    return this.dashboards.getByTenant(caller, tenantId);
  }

  /**
   * Delete the tenant's dashboard
   *
   * @remarks Needs has_access to the tenant. Deletes the dashboard at the provider (its 404 counts as
   * deleted), then the mapping, and revokes the dashboard's tokens. Answers 204 with no body.
   */
  @Delete(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.UPSTREAM_AUTH_FAILED, ErrorCode.UPSTREAM_ERROR, ErrorCode.UPSTREAM_UNAVAILABLE)
  remove(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<void> {
    return this.dashboards.remove(caller, tenantId);
  }

  /**
   * Rotate the dashboard secret
   *
   * @remarks Admins only. Returns a new `ds_…` dashboard secret, this once; the old one stops working
   * at once for new dashboard tokens.
   */
  @Post(':tenantId/dashboard-secret')
  @AdminOnly()
  @HttpCode(200)
  @ApiEnvelope(DashboardSecretDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  rotateSecret(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<DashboardSecretDto> {
    return this.dashboards.rotateSecret(caller, tenantId);
  }
}
