import { Module } from '@nestjs/common';
import { CallerJwtVerifier } from './caller-jwt.verifier';
import { AdminGuard } from './guards/admin.guard';
import { CallerAuthGuard } from './guards/caller-auth.guard';
import { TenantAccessGuard } from './guards/tenant-access.guard';

/** Caller JWTs, the global guard (registered as APP_GUARD in AppModule) and the access guards. */
@Module({
  providers: [CallerJwtVerifier, CallerAuthGuard, AdminGuard, TenantAccessGuard],
  exports: [CallerJwtVerifier, CallerAuthGuard, AdminGuard, TenantAccessGuard],
})
export class AuthModule {}
