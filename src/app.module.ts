import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { EnvelopeInterceptor } from './common/interceptors/envelope.interceptor';
import { Logger } from './common/logging/logger';
import { LoggingModule } from './common/logging/logging.module';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/configuration';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  /** Additional modules, e.g. an enterprise extension; they share the global enhancers. */
  imports?: Array<Type<unknown> | DynamicModule | ForwardReference>;
}

/**
 * The whole application. Global enhancers are providers here (not `useGlobal*` calls in
 * main.ts), so tests that build this module get exactly what production runs.
 */
@Module({})
export class AppModule {
  static forRoot({ config, logger, imports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(logger), DatabaseModule, HealthModule, ...imports],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
