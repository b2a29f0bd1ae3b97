import { Global, Module } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit.guard';

/** The counters behind every rate limit: in-process here; the scale-out work swaps in Redis. */
@Global()
@Module({
  providers: [{ provide: ThrottlerStorage, useClass: ThrottlerStorageService }, RateLimitGuard],
  exports: [ThrottlerStorage, RateLimitGuard],
})
export class RateLimitModule {}
