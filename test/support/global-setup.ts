import 'reflect-metadata';
import { buildDataSourceOptions, openDataSource } from '../../src/database/data-source';
import { createDatabase, RUN_DATABASE_ENV } from './test-database';

/** One fresh database per run, migrated once; test files truncate it between tests. */
export default async function globalSetup(): Promise<void> {
  const url = await createDatabase();
  process.env[RUN_DATABASE_ENV] = url;
  const dataSource = await openDataSource(
    buildDataSourceOptions({ url, dataDir: '', poolSize: 2, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 }),
  );
  await dataSource.destroy();
}
