import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { SemanticDomain } from './entities/semantic-domain.entity';
import { SemanticDomainsController } from './semantic-domains.controller';
import { SemanticDomainsService } from './semantic-domains.service';

@Module({
  imports: [TypeOrmModule.forFeature([SemanticDomain]), WorkspacesModule],
  controllers: [SemanticDomainsController],
  providers: [SemanticDomainsService],
  exports: [SemanticDomainsService],
})
export class SemanticDomainsModule {}
