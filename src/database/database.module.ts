import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LOGGER, Logger } from '../common/logging/logger';
import { AppConfig } from '../config/configuration';
import { buildDataSourceOptions, openDataSource } from './data-source';
import { InstallationService } from './installation.service';
import { PreparedQueries } from './prepared-queries';

/** Global: the data source (TypeORM's module is global too) and the prepared hot-path queries. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => ({
        ...buildDataSourceOptions(config.database, logger),
        // Start-up fails fast with a clear error instead of retrying for half a minute.
        retryAttempts: 0,
      }),
      dataSourceFactory: (options) => openDataSource(options!),
    }),
  ],
  providers: [InstallationService, PreparedQueries],
  exports: [InstallationService, PreparedQueries],
})
export class DatabaseModule {}
