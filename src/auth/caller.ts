/** Who is calling the management API, as stated by a verified caller JWT. */
export interface Caller {
  /** `sub` */
  userId: string;
  /** `org` (or `organization_id`): every row is scoped by it. */
  organizationId: string;
  role: CallerRole;
  /** For members: the tenant ids they may reach (`tenants` claim). Ignored for admins. */
  tenants: readonly string[];
}

export type CallerRole = 'admin' | 'member';

const MAX_ID_LENGTH = 128;
const MAX_TENANTS = 1_000;

/**
 * Reads the caller from verified claims, or returns undefined when a required claim is
 * missing or malformed. `role` may be `role: "admin"` or `roles: [...]`; anything that does
 * not say admin is a member (least privilege).
 */
export function callerFromClaims(claims: Record<string, unknown>): Caller | undefined {
  const userId = claims.sub;
  const organizationId = claims.org ?? claims.organization_id;
  if (!isId(userId) || !isId(organizationId)) return undefined;

  const roles = Array.isArray(claims.roles) ? claims.roles : [claims.role];
  const role: CallerRole = roles.includes('admin') ? 'admin' : 'member';

  const rawTenants = claims.tenants;
  if (rawTenants !== undefined && !Array.isArray(rawTenants)) return undefined;
  const tenants = (rawTenants ?? []).filter(isId);
  if (tenants.length > MAX_TENANTS) return undefined;

  return { userId, organizationId, role, tenants: Object.freeze(tenants) };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
