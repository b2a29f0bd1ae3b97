import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AnalyticsProvider } from './analytics-provider';
import { ANALYTICS_PROVIDER_LIST, AnalyticsProviders } from './analytics-providers';
import { BuiltinDashboardsService } from './builtin/builtin-dashboards.service';
import { BuiltinProvider } from './builtin/builtin.provider';
import { BuiltinDashboard } from './builtin/entities/builtin-dashboard.entity';
import { ExternalDashboardsController } from './builtin/external-dashboards.controller';
import { ExternalHmacGuard } from './builtin/external-hmac.guard';
import { CircuitBreaker, PapermapClient, PapermapProvider } from './papermap';

/**
 * The analytics providers, chosen per workspace. To add a provider kind, implement
 * AnalyticsProvider and add it to the list below; the dashboards module does not change.
 */
@Module({
  imports: [HttpModule, TypeOrmModule.forFeature([BuiltinDashboard]), ApiKeysModule, WorkspacesModule],
  controllers: [ExternalDashboardsController],
  providers: [
    CircuitBreaker,
    PapermapClient,
    PapermapProvider,
    BuiltinDashboardsService,
    BuiltinProvider,
    ExternalHmacGuard,
    {
      provide: ANALYTICS_PROVIDER_LIST,
      inject: [BuiltinProvider, PapermapProvider],
      useFactory: (...providers: AnalyticsProvider[]) => providers,
    },
    AnalyticsProviders,
  ],
  exports: [AnalyticsProviders, BuiltinDashboardsService],
})
export class ProvidersModule {}
