import { applyDecorators } from '@nestjs/common';
import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { PaginationQueryDto } from '../../common/http/pagination.dto';
import { IsResourceId } from '../../common/validation/validators';
import { AuditEvent } from '../entities/audit-event.entity';

export const MAX_AUDIT_PAGE_SIZE = 500;

/** A date, or a date and time with `Z` or an offset: a time without a zone would be read in the server's. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;
const TIMESTAMP_MESSAGE = '$property must be an ISO-8601 timestamp with a time zone, e.g. 2025-01-31T12:00:00Z';

const IsTimestamp = (): PropertyDecorator =>
  // strict: no 30 February (JavaScript's Date would read it as 2 March).
  applyDecorators(IsISO8601({ strict: true }, { message: TIMESTAMP_MESSAGE }), Matches(TIMESTAMP, { message: TIMESTAMP_MESSAGE }));

/** `skip` as everywhere; a larger page (≤ 500) than the other lists. */
export class AuditEventsQueryDto extends OmitType(PaginationQueryDto, ['limit'] as const) {
  /** Only this tenant's events. */
  @IsOptional()
  @IsResourceId()
  tenant_id?: string;

  /** Only events at or after this instant (ISO-8601, e.g. `2025-01-31T12:00:00Z`; a date alone is midnight UTC). */
  @IsOptional()
  @IsTimestamp()
  since?: string;

  /** Page size, at most 500. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE_SIZE)
  limit?: number = 100;
}

export class AuditEventDto {
  /** UUID. */
  id: string;

  /** e.g. `token.issued`, `token.validation_failed`, `token.revoked`, `tenant.tokens_revoked`. */
  action: string;

  /** Who acted: `caller:<sub>`, `dashboard-secret`, `project-secret`, `token:<jti>`. */
  actor: string | null;

  tenant_id: string | null;

  workspace_id: string | null;

  dashboard_id: string | null;

  end_user_id: string | null;

  /** The embed token's id, when the event concerns one. */
  jti: string | null;

  /** Small, secret-free facts (token type, failure code…). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  detail: Record<string, unknown>;

  /** When it happened: ISO-8601, UTC. */
  created_at: string;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      action: event.action,
      actor: event.actor,
      tenant_id: event.tenantId,
      workspace_id: event.workspaceId,
      dashboard_id: event.dashboardId,
      end_user_id: event.endUserId,
      jti: event.jti,
      detail: event.detail,
      created_at: event.createdAt.toISOString(),
    };
  }
}
