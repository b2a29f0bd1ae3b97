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
  /**
   * Only this tenant's events.
   * @example org-123
   */
  @IsOptional()
  @IsResourceId()
  tenant_id?: string;

  /**
   * Only events at or after this instant (ISO-8601, e.g. `2025-01-31T12:00:00Z`; a date alone is midnight UTC).
   * @example 2025-01-31T12:00:00Z
   */
  @IsOptional()
  @IsTimestamp()
  since?: string;

  /**
   * Page size, at most 500.
   * @example 100
   */
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE_SIZE)
  limit?: number = 100;
}

export class AuditEventDto {
  /**
   * UUID.
   * @example 3c9e1b7a-5d2f-4a8e-b6c1-9f0d2e4a6b8c
   */
  id: string;

  /**
   * e.g. `token.issued`, `token.validation_failed`, `token.revoked`, `tenant.tokens_revoked`.
   * @example token.issued
   */
  action: string;

  /**
   * Who acted: `caller:<sub>`, `dashboard-secret`, `project-secret`, `token:<jti>`.
   * @example dashboard-secret
   */
  actor: string | null;

  /**
   * The tenant concerned, if any.
   * @example org-123
   */
  tenant_id: string | null;

  /**
   * The workspace concerned, if any.
   * @example workspace-456
   */
  workspace_id: string | null;

  /**
   * The dashboard concerned (`dashboard_id`), if any.
   * @example dash_3f9c2a7b1e4d4c8a9b0f6e5d4c3b2a19
   */
  dashboard_id: string | null;

  /**
   * The end user concerned, if any.
   * @example null
   */
  end_user_id: string | null;

  /**
   * The embed token's id, when the event concerns one.
   * @example 9b2f4c6e-8a1d-4e3f-b5c7-0d2e4f6a8b1c
   */
  jti: string | null;

  /** Small, secret-free facts (token type, failure code…). */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'dashboard', expiresIn: 1800 } })
  detail: Record<string, unknown>;

  /**
   * When it happened: ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
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
