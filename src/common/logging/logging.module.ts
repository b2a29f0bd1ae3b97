import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger, LOGGER } from './logger';

/** Makes the one pino logger, made by the app factory, injectable everywhere. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: LOGGER, useValue: logger }],
      exports: [LOGGER],
    };
  }
}
