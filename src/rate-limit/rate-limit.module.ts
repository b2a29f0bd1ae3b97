import { Global, Module } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/configuration';
import { RedisService } from '../redis/redis.service';
import { MemoryThrottlerStorage } from './memory-throttler.storage';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The counters behind every rate limit: shared through Redis when REDIS_URL is set, else in-process. */
@Global()
@Module({
  providers: [
    {
      provide: ThrottlerStorage,
      inject: [AppConfig, RedisService],
      useFactory: (config: AppConfig, redis: RedisService) => (config.redis.url ? new RedisThrottlerStorage(redis) : new MemoryThrottlerStorage()),
    },
    RateLimitGuard,
  ],
  exports: [ThrottlerStorage, RateLimitGuard],
})
export class RateLimitModule {}
