import { Module } from '@nestjs/common';
import { DashboardsModule } from '../dashboards/dashboards.module';
import { ProvidersModule } from '../providers/providers.module';
import { TenantsModule } from '../tenants/tenants.module';
import { TokensModule } from '../tokens/tokens.module';
import { EmbedController } from './embed.controller';
import { EmbedService } from './embed.service';

/** The built-in provider's embed page, its silent refresh, the host helper and the example host. */
@Module({
  imports: [TokensModule, TenantsModule, DashboardsModule, ProvidersModule],
  controllers: [EmbedController],
  providers: [EmbedService],
})
export class EmbedModule {}
