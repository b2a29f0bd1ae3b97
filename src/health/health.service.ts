import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../common/errors/app.exception';
import { APP_VERSION } from '../common/version';
import { DependencyCheckDto, LivenessDto, ReadinessDto } from './dto/health.dto';

/** A readiness probe must answer quickly even when the database hangs. */
export const DEPENDENCY_CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  live(): LivenessDto {
    return { status: 'ok', uptime_seconds: Math.round(process.uptime()), version: APP_VERSION };
  }

  async ready(): Promise<ReadinessDto> {
    const database = await this.check(() => this.dataSource.query('SELECT 1'));
    if (database.status === 'down') throw new ServiceUnavailableError('Not ready: the database is unreachable', { 'retry-after': '5' });
    return { status: 'ready', checks: { database } };
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
