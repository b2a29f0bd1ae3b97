import { isSecretKey } from '../common/logging/redact';
import { AuditEvent } from './entities/audit-event.entity';

/** What a module reports to `AuditService.record`. Never a token or a secret. */
export interface AuditEventInput {
  /** Null when the organization could not be determined (e.g. a garbage token). */
  organizationId: string | null;
  /** e.g. `token.issued`, `token.validation_failed`, `token.revoked`, `tenant.tokens_revoked`. */
  action: string;
  /** `caller:<sub>`, `dashboard-secret`, `project-secret`, `token:<jti>`. */
  actor?: string | null;
  tenantId?: string | null;
  workspaceId?: string | null;
  dashboardId?: string | null;
  endUserId?: string | null;
  jti?: string | null;
  /** Small facts; keys named like secrets (token, secret, signature…) are dropped at any depth. */
  detail?: Record<string, unknown>;
}

export type AuditRow = Pick<
  AuditEvent,
  'organizationId' | 'action' | 'actor' | 'tenantId' | 'workspaceId' | 'dashboardId' | 'endUserId' | 'jti' | 'detail' | 'createdAt'
>;

const MAX_TEXT = 512;
const MAX_DETAIL_DEPTH = 5;
const MAX_DETAIL_ITEMS = 100;

/**
 * The row to store, taken when the event happens (so `created_at` is its time, not the flush's).
 * Values are made storable here, so that one odd event cannot make a whole batch fail: text
 * without NUL characters (PostgreSQL refuses them) and clipped, detail reduced to plain JSON.
 */
export function toAuditRow(event: AuditEventInput, at: Date): AuditRow {
  const detail = event.detail !== null && typeof event.detail === 'object' && !Array.isArray(event.detail) ? cleanDetail(event.detail, 0) : {};
  return {
    organizationId: text(event.organizationId),
    action: text(event.action) ?? 'unknown',
    actor: text(event.actor),
    tenantId: text(event.tenantId),
    workspaceId: text(event.workspaceId),
    dashboardId: text(event.dashboardId),
    endUserId: text(event.endUserId),
    jti: text(event.jti),
    detail: detail as Record<string, unknown>,
    createdAt: at,
  };
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : clip(String(value));
}

function clip(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  return clean.length > MAX_TEXT ? clean.slice(0, MAX_TEXT) : clean;
}

/** JSON.stringify's view of a value, secret-named keys dropped, bounded in depth and breadth. */
function cleanDetail(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return clip(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DETAIL_DEPTH) return null;
  if (Array.isArray(value)) return value.slice(0, MAX_DETAIL_ITEMS).map((item) => cleanDetail(item, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, MAX_DETAIL_ITEMS)) {
    if (isSecretKey(key) || key === '__proto__') continue;
    const cleaned = cleanDetail(item, depth + 1);
    if (cleaned !== undefined) out[clip(key)] = cleaned;
  }
  return out;
}
