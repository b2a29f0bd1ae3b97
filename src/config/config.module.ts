import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './configuration';

/**
 * Provides the validated configuration, loaded once at boot by `loadConfiguration`, under the
 * `AppConfig` class token: `constructor(private readonly config: AppConfig)` and read it typed.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
