import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  /** Always `ok` while the process can answer. */
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  /** Seconds since the process started. */
  uptime_seconds: number;

  /** Tessera's version. */
  version: string;
}

export class DependencyCheckDto {
  /** `up` when the dependency answered within its time limit. */
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  /** How long the check took, in milliseconds. */
  latency_ms: number;
}

export class ReadinessChecksDto {
  /** PostgreSQL or the embedded database. */
  database: DependencyCheckDto;

  /** The shared Redis, when REDIS_URL is set. */
  redis?: DependencyCheckDto;
}

export class ReadinessDto {
  /** `ready`; `degraded` when Redis is down (the instance serves with per-instance limits). Without the database the endpoint answers 503. */
  @ApiProperty({ enum: ['ready', 'degraded'] })
  status: 'ready' | 'degraded';

  checks: ReadinessChecksDto;
}
