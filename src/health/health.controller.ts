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

  /** Liveness: the process is up and answering. Never touches the database. */
  @Get('live')
  @ApiEnvelope(LivenessDto)
  live(): LivenessDto {
    return this.health.live();
  }

  /** Readiness: the database answers. 503 `SERVICE_UNAVAILABLE` while it does not. */
  @Get('ready')
  @ApiEnvelope(ReadinessDto)
  @ApiErrors(ErrorCode.SERVICE_UNAVAILABLE)
  ready(): Promise<ReadinessDto> {
    return this.health.ready();
  }
}
