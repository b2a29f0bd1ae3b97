import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { Logger } from '../common/logging/logger';
import { DatabaseConfig } from '../config/configuration';
import { TypeOrmPinoLogger } from './typeorm.logger';

/** Entities and migrations are found by file name, so `src/` under ts-jest and `dist/` both work. */
const ENTITIES = [join(__dirname, '..', '**', '*.entity.{ts,js}')];
const MIGRATIONS = [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')];

/** Key under which the options carry the embedded database, so destroy() can close it. */
const EMBEDDED = Symbol('tessera:embedded-database');
type TesseraOptions = PostgresDataSourceOptions & { [EMBEDDED]?: PGlite };

/** Arbitrary but fixed: serializes migrations when several instances start at once. */
const MIGRATION_LOCK_ID = 7_215_311_042;

/**
 * The same entities and migrations on both engines: PostgreSQL through `pg` when
 * `DATABASE_URL` is set, otherwise PGlite in `DATA_DIR` through PGlite's own node-postgres
 * adapter (one connection; `typeorm-pglite` would let concurrent transactions mix).
 */
export function buildDataSourceOptions(db: DatabaseConfig, logger?: Logger): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logging: logger ? (['error', 'warn', 'migration'] as ('error' | 'warn' | 'migration')[]) : false,
    logger: logger ? new TypeOrmPinoLogger(logger) : undefined,
    maxQueryExecutionTime: 1_000,
  };
  if (db.url) {
    return {
      ...common,
      url: db.url,
      poolSize: db.poolSize,
      connectTimeoutMS: db.connectTimeoutMs,
      applicationName: 'tessera',
      extra: {
        statement_timeout: db.statementTimeoutMs,
        idle_in_transaction_session_timeout: db.statementTimeoutMs * 2,
        keepAlive: true,
      },
    };
  }
  mkdirSync(db.dataDir, { recursive: true, mode: 0o700 });
  const pglite = new PGlite(join(db.dataDir, 'pgdata'));
  const options: TesseraOptions = {
    ...common,
    poolSize: 1,
    extra: { ...createPgConfig(pglite), idleTimeoutMillis: 0 },
    [EMBEDDED]: pglite,
  };
  return options;
}

/** A DataSource that also closes the embedded database it owns (else the process lingers). */
export class TesseraDataSource extends DataSource {
  get isEmbedded(): boolean {
    return Boolean((this.options as TesseraOptions)[EMBEDDED]);
  }

  override async destroy(): Promise<void> {
    if (this.isInitialized) await super.destroy();
    const pglite = (this.options as TesseraOptions)[EMBEDDED];
    if (pglite && !pglite.closed) await pglite.close();
  }

  /**
   * Runs pending migrations in one transaction. On PostgreSQL an advisory lock makes
   * instances that start together take turns; PGlite has one process and one connection.
   */
  async migrate(): Promise<number> {
    if (this.isEmbedded) return this.runPendingMigrations();
    const runner = this.createQueryRunner();
    try {
      await runner.connect();
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      return await this.runPendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      await runner.release();
    }
  }

  private async runPendingMigrations(): Promise<number> {
    const applied = await this.runMigrations({ transaction: 'all' });
    if (applied.length > 0) this.logger.logMigration(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    return applied.length;
  }
}

export async function openDataSource(options: DataSourceOptions): Promise<TesseraDataSource> {
  const dataSource = new TesseraDataSource(options);
  try {
    await dataSource.initialize();
    await dataSource.migrate();
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}
