import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { LivenessDto, ReadinessDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Liveness probe
   *
   * @remarks No authentication. The process is up and answering; never touches the database, so a
   * database outage does not restart the process.
   */
  @Get('live')
  @ApiEnvelope(LivenessDto)
  live(): LivenessDto {
    return this.health.live();
  }

  /**
   * Readiness probe
   *
   * @remarks No authentication. 200 when the database answers within 2 s; 503 `SERVICE_UNAVAILABLE`
   * while it does not (the process stays up and recovers by itself).
   */
  @Get('ready')
  @ApiEnvelope(ReadinessDto)
  @ApiErrors(ErrorCode.SERVICE_UNAVAILABLE)
  ready(): Promise<ReadinessDto> {
    return this.health.ready();
  }
}
