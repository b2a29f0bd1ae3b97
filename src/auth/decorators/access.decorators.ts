import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ErrorCode } from '../../common/errors/error-code';
import { ApiErrors } from '../../common/swagger/api-envelope.decorators';
import { AdminGuard } from '../guards/admin.guard';
import { TENANT_ID_SOURCE, TenantAccessGuard, TenantIdSource } from '../guards/tenant-access.guard';

/** Any caller of the organization (the global guard has verified the JWT). */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiBearerAuth(), ApiErrors(ErrorCode.UNAUTHORIZED));

/** Only the organization's admins; members get 403 FORBIDDEN. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(AdminGuard), ApiBearerAuth(), ApiErrors(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN));

/** has_access on the tenant named by a path parameter or body field; 403 FORBIDDEN otherwise. */
export const TenantAccess = (source: TenantIdSource): MethodDecorator =>
  applyDecorators(
    SetMetadata(TENANT_ID_SOURCE, source),
    UseGuards(TenantAccessGuard),
    ApiBearerAuth(),
    ApiErrors(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN),
  );
