/**
 * The one TypeORM data source for the CLI (`npm run migration:generate|run|revert`), built from
 * the same database settings and options as the server: DATABASE_URL, or PGlite in DATA_DIR.
 * It reads no secrets, so it runs in production without JWT_SECRET / ENCRYPTION_KEY.
 * Stop the server before running the CLI against the embedded database.
 */
import 'reflect-metadata';
import { loadDatabaseConfiguration } from './src/config/configuration';
import { buildDataSourceOptions, TesseraDataSource } from './src/database/data-source';

export default new TesseraDataSource(buildDataSourceOptions(loadDatabaseConfiguration(process.env)));
