import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DashboardsModule } from '../dashboards/dashboards.module';
import { EndUsersModule } from '../end-users/end-users.module';
import { RevocationModule } from '../revocation/revocation.module';
import { SemanticDomainsModule } from '../semantic-domains/semantic-domains.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { TenantsModule } from '../tenants/tenants.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { IframeTokenController } from './iframe-token.controller';
import { IframeTokensService } from './iframe-tokens.service';
import { TenantTokensController } from './tenant-tokens.controller';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { TokenVerificationService } from './token-verification.service';

@Module({
  imports: [
    AuditModule,
    DashboardsModule,
    EndUsersModule,
    RevocationModule,
    SemanticDomainsModule,
    SigningKeysModule,
    TenantsModule,
    WorkspacesModule,
  ],
  controllers: [TokensController, TenantTokensController, IframeTokenController],
  providers: [TokensService, TokenVerificationService, IframeTokensService],
  exports: [TokenVerificationService],
})
export class TokensModule {}
