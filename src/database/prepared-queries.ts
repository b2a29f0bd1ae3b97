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
}
