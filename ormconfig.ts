/**
 * The one TypeORM data source for the CLI (`npm run migration:generate|run|revert`), built from
 * the same configuration and options as the server: DATABASE_URL, or PGlite in DATA_DIR.
 * Stop the server before running the CLI against the embedded database.
 */
import 'reflect-metadata';
import { loadConfiguration } from './src/config/configuration';
import { buildDataSourceOptions, TesseraDataSource } from './src/database/data-source';

export default new TesseraDataSource(buildDataSourceOptions(loadConfiguration(process.env).database));
