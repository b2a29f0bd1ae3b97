import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, MoreThanOrEqual, Repository } from 'typeorm';
import { Caller } from '../auth/caller';
import { Page } from '../common/http/envelope';
import { InjectLogger, Logger } from '../common/logging/logger';
import { PreparedQueries, preparedStatement } from '../database/prepared-queries';
import { AuditEventInput, AuditRow, toAuditRow } from './audit-record';
import { AuditEventDto, AuditEventsQueryDto } from './dto/audit-event.dto';
import { AuditEvent } from './entities/audit-event.entity';

export const AUDIT_FLUSH_INTERVAL_MS = 250;
/** This many queued events are written at once rather than at the next tick. */
export const AUDIT_FLUSH_AT = 200;
/** While the database cannot take them, at most this many wait; the oldest go first. */
export const AUDIT_BUFFER_LIMIT = 10_000;
/** Rows per INSERT: bounds the size of one statement and of what one refused batch can lose. */
const ROWS_PER_INSERT = 1_000;
/** After a failed write, the next automatic one waits this long (an explicit flush() does not). */
const RETRY_DELAY_MS = 1_000;

/**
 * One statement for any batch size: a column array per parameter, expanded by unnest(), so it is
 * prepared once and no query is built per flush.
 */
const INSERT_BATCH = preparedStatement(
  'audit_insert_batch',
  `INSERT INTO audit_events (organization_id, action, actor, tenant_id, workspace_id, dashboard_id, end_user_id, jti, detail, created_at)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[])`,
);

/**
 * The audit trail. `record` never waits and never throws: events are buffered and written by one
 * multi-row INSERT every 250 ms (sooner at 200 queued), so auditing adds no database round trip
 * to the request that caused it. The buffer is bounded; the process flushes it on shutdown.
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private buffer: AuditRow[] = [];
  private dropped = 0;
  private timer?: NodeJS.Timeout;
  private timerDue = 0;
  private retryAt = 0;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly sql: PreparedQueries,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  record(event: AuditEventInput): void {
    try {
      this.buffer.push(toAuditRow(event, new Date()));
    } catch (error) {
      this.logger.error({ action: String(event?.action), reason: (error as Error)?.message }, 'audit event could not be recorded');
      return;
    }
    this.trim();
    this.schedule(this.buffer.length >= AUDIT_FLUSH_AT ? 0 : AUDIT_FLUSH_INTERVAL_MS);
  }

  /** Writes everything queued so far (after any write in progress). Never rejects: failures are logged and retried. */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.drain())
      .catch((error: unknown) => this.logger.error({ reason: (error as Error)?.message }, 'audit flush failed'));
    return this.flushing;
  }

  /** The organization's events, newest first; what was just recorded included. */
  async list(caller: Caller, query: AuditEventsQueryDto): Promise<Page<AuditEventDto>> {
    await this.flush();
    const where: FindOptionsWhere<AuditEvent> = { organizationId: caller.organizationId };
    if (query.tenant_id !== undefined) where.tenantId = query.tenant_id;
    if (query.since !== undefined) where.createdAt = MoreThanOrEqual(new Date(query.since));
    const [rows, total] = await this.events.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: query.skip,
      take: query.limit,
    });
    return new Page(rows.map(AuditEventDto.from), total);
  }

  /**
   * Writes what is still buffered. Nest runs this hook before TypeORM's own (global modules come
   * last on shutdown), so the database is still open, and after the HTTP server has closed.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.events.manager.connection.isInitialized) await this.flush();
    if (this.buffer.length > 0) this.logger.warn({ lost: this.buffer.length }, 'audit events could not be stored before shutdown');
  }

  private async drain(): Promise<void> {
    this.reportDropped();
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, ROWS_PER_INSERT);
      try {
        await this.sql.rows(INSERT_BATCH, [
          batch.map((row) => row.organizationId),
          batch.map((row) => row.action),
          batch.map((row) => row.actor),
          batch.map((row) => row.tenantId),
          batch.map((row) => row.workspaceId),
          batch.map((row) => row.dashboardId),
          batch.map((row) => row.endUserId),
          batch.map((row) => row.jti),
          batch.map((row) => JSON.stringify(row.detail)),
          batch.map((row) => row.createdAt),
        ]);
      } catch (error) {
        if (isDataError(error)) {
          // Retrying a batch the database refuses for its content would block the audit trail for good.
          this.logger.error({ code: sqlState(error), lost: batch.length }, 'audit events refused by the database; dropped');
          continue;
        }
        this.buffer = batch.concat(this.buffer);
        this.trim();
        this.retryAt = Date.now() + RETRY_DELAY_MS;
        this.logger.error({ code: sqlState(error), reason: (error as Error)?.message, queued: this.buffer.length }, 'audit flush failed; will retry');
        this.reportDropped();
        this.schedule(0);
        return;
      }
    }
    this.retryAt = 0;
  }

  /** Keeps the buffer bounded by dropping the oldest events; reported at the next flush. */
  private trim(): void {
    const excess = this.buffer.length - AUDIT_BUFFER_LIMIT;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.logger.warn({ dropped: this.dropped, limit: AUDIT_BUFFER_LIMIT }, 'audit buffer full: dropped the oldest events');
    this.dropped = 0;
  }

  /** One timer at a time, due at the earliest time asked for (but not before a retry is due). */
  private schedule(delayMs: number): void {
    if (this.closed) return;
    const due = Math.max(Date.now() + delayMs, this.retryAt);
    if (this.timer && this.timerDue <= due) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, due - Date.now());
    // Pending audit writes alone do not keep the process alive; shutdown flushes them.
    this.timer.unref();
  }
}

function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the rows, not the database, are the problem. */
function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code);
}
