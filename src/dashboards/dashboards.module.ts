import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProvidersModule } from '../providers/providers.module';
import { RevocationModule } from '../revocation/revocation.module';
import { TenantsModule } from '../tenants/tenants.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { DashboardsController } from './dashboards.controller';
import { DashboardsService } from './dashboards.service';
import { Dashboard } from './entities/dashboard.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Dashboard]), ProvidersModule, RevocationModule, TenantsModule, WorkspacesModule],
  controllers: [DashboardsController],
  providers: [DashboardsService],
  exports: [DashboardsService],
})
export class DashboardsModule {}
