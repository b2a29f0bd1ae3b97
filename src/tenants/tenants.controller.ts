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

  /** Create a tenant (admin). */
  @Post()
  @AdminOnly()
  @ApiEnvelope(TenantDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.CONFLICT)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(caller, dto);
  }

  /** List tenants: all of the organization's for admins, the ones in the `tenants` claim for members. */
  @Get()
  @Authenticated()
  @ApiEnvelope(TenantDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<TenantDto>> {
    return this.tenants.list(caller, page);
  }

  /** Read one tenant (has_access). */
  @Get(':tenantId')
  @TenantAccess({ param: 'tenantId' })
  @ApiEnvelope(TenantDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<TenantDto> {
    return this.tenants.get(caller, tenantId);
  }

  /** Change a tenant's name, status, allowed origins or metadata (admin). */
  @Patch(':tenantId')
  @AdminOnly()
  @ApiEnvelope(TenantDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND)
  update(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string, @Body() dto: UpdateTenantDto): Promise<TenantDto> {
    return this.tenants.update(caller, tenantId, dto);
  }

  /** Delete a tenant (admin). 409 while it still has a dashboard. */
  @Delete(':tenantId')
  @AdminOnly()
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  remove(@CurrentCaller() caller: Caller, @Param('tenantId') tenantId: string): Promise<void> {
    return this.tenants.remove(caller, tenantId);
  }
}
