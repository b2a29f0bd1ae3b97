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

  /** Create the tenant's dashboard at the provider (has_access). The response carries the dashboard secret, this once. */
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

  /** The organization's dashboards (members: their tenants'). */
  @Get()
  @Authenticated()
  @ApiEnvelope(DashboardDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<DashboardDto>> {
    return this.dashboards.list(caller, page);
  }

  /** The tenant's dashboard (has_access); 404 when it has none. */
  @Get(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @ApiEnvelope(DashboardDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<DashboardDto> {
    return this.dashboards.getByTenant(caller, tenantId);
  }

  /** Delete the tenant's dashboard at the provider, then the mapping (has_access). */
  @Delete(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.UPSTREAM_AUTH_FAILED, ErrorCode.UPSTREAM_ERROR, ErrorCode.UPSTREAM_UNAVAILABLE)
  remove(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<void> {
    return this.dashboards.remove(caller, tenantId);
  }

  /** Rotate the dashboard secret (admin): the new one is returned this once. */
  @Post(':tenantId/dashboard-secret')
  @AdminOnly()
  @HttpCode(200)
  @ApiEnvelope(DashboardSecretDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  rotateSecret(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<DashboardSecretDto> {
    return this.dashboards.rotateSecret(caller, tenantId);
  }
}
