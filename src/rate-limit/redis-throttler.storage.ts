import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { RedisService } from '../redis/redis.service';
import { MemoryThrottlerStorage } from './memory-throttler.storage';

/** One atomic step: count the hit, start the window on the first, report hits and time left. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
type RedisWithHit = { tesseraHit(key: string, ttlMs: number): Promise<[number, number]> };

/**
 * Rate-limit counters shared by every instance through Redis (fixed windows, one atomic Lua
 * step per hit), so N instances admit exactly the configured limit in total. While Redis is
 * unreachable each instance counts on its own with the same limits: bounded, never unlimited.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly local = new MemoryThrottlerStorage();

  constructor(private readonly redis: RedisService) {
    this.redis.client?.defineCommand('tesseraHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    if (this.redis.available) {
      try {
        const [hits, ttlLeftMs] = await (this.redis.client as unknown as RedisWithHit).tesseraHit(`tessera:rl:${key}`, ttl);
        const isBlocked = hits > limit;
        const seconds = Math.max(1, Math.ceil(ttlLeftMs / 1000));
        return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
      } catch {
        // fall through to the per-instance counters
      }
    }
    return this.local.increment(key, ttl, limit);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
