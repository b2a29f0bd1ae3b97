import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CallerAuthGuard } from './auth/guards/caller-auth.guard';
import { CryptoModule } from './common/crypto/crypto.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { Logger } from './common/logging/logger';
import { LoggingModule } from './common/logging/logging.module';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/configuration';
import { DashboardsModule } from './dashboards/dashboards.module';
import { DatabaseModule } from './database/database.module';
import { EmbedModule } from './embed/embed.module';
import { EndUsersModule } from './end-users/end-users.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { SemanticDomainsModule } from './semantic-domains/semantic-domains.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RedisModule } from './redis/redis.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TokensModule } from './tokens/tokens.module';
import { TenantsModule } from './tenants/tenants.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

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
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        CryptoModule,
        DatabaseModule,
        RedisModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        TenantsModule,
        WorkspacesModule,
        ApiKeysModule,
        DashboardsModule,
        SigningKeysModule,
        SemanticDomainsModule,
        EndUsersModule,
        AuditModule,
        RateLimitModule,
        TokensModule,
        EmbedModule,
        ...imports,
      ],
      providers: [
        // Every route needs a caller JWT unless marked @Public().
        { provide: APP_GUARD, useClass: CallerAuthGuard },
        // Then the rate limits, which count per caller once the caller is known.
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
