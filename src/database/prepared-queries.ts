import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A named SQL statement for the hot read paths: PostgreSQL parses and plans it once per
 * connection, and no query builder runs per request. Everything else goes through TypeORM.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Defines a statement; `name` must be unique across Tessera (PostgreSQL keys the plan by it). */
export function preparedStatement(name: string, text: string): PreparedStatement {
  return { name: `tessera_${name}`, text: text.replace(/\s+/g, ' ').trim() };
}

/**
 * Runs prepared statements on TypeORM's own connection pool (pg's Pool, also in front of
 * PGlite), so they share its connections, limits and timeouts. Driver errors are passed on
 * unchanged: the exception filter classifies them as it does TypeORM's.
 */
@Injectable()
export class PreparedQueries {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  async rows<Row extends QueryResultRow>(statement: PreparedStatement, values: unknown[]): Promise<Row[]> {
    const result = await this.pool.query<Row>({ name: statement.name, text: statement.text, values });
    return result.rows;
  }

  /** A lookup by key that shares round trips with concurrent lookups (see BatchedLookup). */
  batched<Row extends QueryResultRow>(statement: PreparedStatement, keyColumns: number): BatchedLookup<Row> {
    return new BatchedLookup<Row>(this, statement, keyColumns);
  }
}

interface Waiting<Row> {
  key: readonly unknown[];
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

/** Keys looked up in one round trip at most; more wait for the next. */
export const MAX_LOOKUP_BATCH = 256;

/**
 * Coalesces the lookups that arrive while the event loop is busy into one round trip (the
 * DataLoader pattern), without caching anything: every caller gets a row read after it asked.
 * Under load, tens of concurrent requests share one query instead of paying a socket write and
 * read each; alone, a lookup waits for the current I/O phase to end (setImmediate) and no longer.
 *
 * The statement takes one array per key column (`$1::text[]`, …), expands them with
 * `unnest(...) WITH ORDINALITY AS k(..., i)` and returns `k.i` as `i`, at most one row per key.
 */
export class BatchedLookup<Row extends QueryResultRow> {
  private queue: Array<Waiting<Row>> = [];

  constructor(
    private readonly sql: PreparedQueries,
    private readonly statement: PreparedStatement,
    private readonly keyColumns: number,
  ) {}

  /** The row for this key (its columns in the statement's order), or undefined. */
  find(...key: unknown[]): Promise<Row | undefined> {
    if (key.length !== this.keyColumns) throw new Error(`${this.statement.name} takes ${this.keyColumns} key columns`);
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(this.flushQueued);
      this.queue.push({ key, resolve, reject });
      if (this.queue.length >= MAX_LOOKUP_BATCH) this.flush();
    });
  }

  private readonly flushQueued = (): void => {
    if (this.queue.length > 0) this.flush();
  };

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const columns = Array.from({ length: this.keyColumns }, (_, column) => batch.map((waiting) => waiting.key[column]));
    this.sql.rows<Row & { i: string | number }>(this.statement, columns).then(
      (rows) => {
        const byOrdinal = new Map<number, Row>();
        for (const { i, ...row } of rows) byOrdinal.set(Number(i), row as unknown as Row);
        batch.forEach((waiting, index) => waiting.resolve(byOrdinal.get(index + 1)));
      },
      (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
    );
  }
}
