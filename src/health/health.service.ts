import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisService } from '../redis/redis.service';
import { ServiceUnavailableError } from '../common/errors/app.exception';
import { APP_VERSION } from '../common/version';
import { DependencyCheckDto, LivenessDto, ReadinessDto } from './dto/health.dto';

/** A readiness probe must answer quickly even when the database hangs. */
export const DEPENDENCY_CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
  ) {}

  live(): LivenessDto {
    return { status: 'ok', uptime_seconds: Math.round(process.uptime()), version: APP_VERSION };
  }

  /**
   * Not ready (503) without the database. Without Redis the instance still serves (rate limits
   * fall back to per-instance counters, revocation to PostgreSQL), so it reports `degraded`
   * rather than taking itself out of the load balancer.
   */
  async ready(): Promise<ReadinessDto> {
    const [database, redis] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1')),
      this.redis.configured ? this.check(async () => {
        if (!(await this.redis.ping())) throw new Error('redis down');
      }) : Promise.resolve(undefined),
    ]);
    if (database.status === 'down') throw new ServiceUnavailableError('Not ready: the database is unreachable', { 'retry-after': '5' });
    return { status: redis?.status === 'down' ? 'degraded' : 'ready', checks: { database, ...(redis ? { redis } : {}) } };
  }

  private async check(probe: () => Promise<unknown>): Promise<DependencyCheckDto> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DEPENDENCY_CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe(), timeout]);
      return { status: 'up', latency_ms: Math.round(performance.now() - started) };
    } catch {
      return { status: 'down', latency_ms: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}
