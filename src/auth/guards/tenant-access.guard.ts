import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ValidationError } from '../../common/errors/app.exception';
import { hasTenantAccess } from '../access';
import { TenantAccessDeniedError, UnauthorizedError } from '../auth.errors';
import { Caller } from '../caller';

export const TENANT_ID_SOURCE = 'tessera:tenant-id-source';

/** Where a route carries the tenant id: a path parameter or a body field. */
export type TenantIdSource = { param: string } | { body: string };

/**
 * Applies has_access to the tenant a request names. A route that declares where its tenant
 * id is but arrives without one is refused (422) rather than let through unchecked.
 */
@Injectable()
export class TenantAccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const source = this.reflector.get<TenantIdSource>(TENANT_ID_SOURCE, context.getHandler());
    const request = context.switchToHttp().getRequest<{ user?: Caller; params?: Record<string, unknown>; body?: unknown }>();
    if (!request.user) throw new UnauthorizedError();
    if (!source) throw new Error('TenantAccessGuard used without @TenantAccess()');

    const field = 'param' in source ? source.param : source.body;
    const container = 'param' in source ? request.params : request.body;
    const tenantId = container && typeof container === 'object' ? (container as Record<string, unknown>)[field] : undefined;
    if (typeof tenantId !== 'string' || tenantId.length === 0) {
      throw new ValidationError('Request validation failed', [{ field, message: `${field} must be a non-empty string` }]);
    }
    if (!hasTenantAccess(request.user, tenantId)) throw new TenantAccessDeniedError();
    return true;
  }
}
