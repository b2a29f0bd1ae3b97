import { Global, Module } from '@nestjs/common';
import { RedisService } from './redis.service';

/** The optional shared Redis: rate-limit counters and revocation messages across instances. */
@Global()
@Module({
  providers: [RedisService],
  exports: [RedisService],
})
export class RedisModule {}
