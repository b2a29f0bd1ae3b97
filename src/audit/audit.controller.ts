import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { AuditService } from './audit.service';
import { AuditEventDto, AuditEventsQueryDto } from './dto/audit-event.dto';

@ApiTags('audit')
@AdminOnly()
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * List audit events
   *
   * @remarks Admins only. Token issuance, failed validations and revocations, newest first, optionally
   * for one tenant and since an instant. `total` counts every event matching the filters; `limit` is
   * at most 500. Events never contain a token or a secret.
   */
  @Get()
  @ApiEnvelope(AuditEventDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() query: AuditEventsQueryDto): Promise<Page<AuditEventDto>> {
    return this.audit.list(caller, query);
  }
}
