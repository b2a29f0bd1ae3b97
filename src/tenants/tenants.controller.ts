import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly, Authenticated, TenantAccess } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { CreateTenantDto, TenantDto, UpdateTenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  /**
   * Create a tenant
   *
   * @remarks Admins only. Registers one of your customers under your own `id` (e.g. `org-123`).
   * `allowed_origins` are the exact origins allowed to frame its dashboards; `suspended` tenants
   * get no embed tokens. A tenant is also created implicitly by its first dashboard. An `id` that
   * already exists in your organization answers 409 `CONFLICT`.
   */
  @Post()
  @AdminOnly()
  @ApiEnvelope(TenantDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.CONFLICT)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(caller, dto);
  }

  /**
   * List tenants
   *
   * @remarks Admins see all of the organization's tenants; members see the tenants in their
   * `tenants` claim, oldest first. `total` counts what the caller may see; `limit` is at most 100.
   */
  @Get()
  @Authenticated()
  @ApiEnvelope(TenantDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<TenantDto>> {
    return this.tenants.list(caller, page);
  }

  /**
   * Get a tenant
   *
   * @remarks Needs has_access to the tenant (admins: any tenant of the organization; members: the
   * tenants in their claim, else 403). A tenant of another organization answers 404 like one that
   * does not exist.
   */
  @Get(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @ApiEnvelope(TenantDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<TenantDto> {
    return this.tenants.get(caller, tenantId);
  }

  /**
   * Update a tenant
   *
   * @remarks Admins only. Changes the name, status, allowed origins or metadata; fields left out are
   * unchanged, and `allowed_origins` and `metadata` are replaced whole. Suspending a tenant stops new
   * embed tokens; tokens already issued keep working until they expire or are revoked.
   */
  @Patch(':tenantId')
  @AdminOnly()
  @ApiEnvelope(TenantDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND)
  update(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string, @Body() dto: UpdateTenantDto): Promise<TenantDto> {
    return this.tenants.update(caller, tenantId, dto);
  }

  /**
   * Delete a tenant
   *
   * @remarks Admins only. Answers 204 with no body; 409 `CONFLICT` while the tenant still has a
   * dashboard (delete the dashboard first).
   */
  @Delete(':tenantId')
  @AdminOnly()
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  remove(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<void> {
    return this.tenants.remove(caller, tenantId);
  }
}
