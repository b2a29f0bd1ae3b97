import { Caller } from './caller';

/**
 * has_access(caller, tenant) from the product spec, in the one place it is decided: admins
 * reach every tenant of their organization, members only the tenants in their `tenants`
 * claim. That the tenant belongs to the caller's organization is enforced by every query
 * being scoped by `caller.organizationId` (another organization's tenant is simply not found).
 */
export function hasTenantAccess(caller: Caller, tenantId: string): boolean {
  return caller.role === 'admin' || caller.tenants.includes(tenantId);
}

export function isAdmin(caller: Caller): boolean {
  return caller.role === 'admin';
}
