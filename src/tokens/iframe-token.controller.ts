import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TenantAccess } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { perCaller, RateLimit } from '../rate-limit/rate-limit.decorator';
import { IframeTokenDto, IframeTokenRequestDto } from './dto/iframe-token.dto';
import { IframeTokensService } from './iframe-tokens.service';

@ApiTags('dashboards')
@Controller('api/v1/dashboards')
export class IframeTokenController {
  constructor(private readonly iframeTokens: IframeTokensService) {}

  /** A token and URL to embed the tenant's dashboard in an iframe (has_access; 10/min per caller). */
  @Post('iframe-token')
  @HttpCode(200)
  @TenantAccess({ body: 'tenant_id' })
  @RateLimit('iframeToken', perCaller)
  @ApiEnvelope(IframeTokenDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED)
  create(@CurrentCaller() caller: Caller, @Body() dto: IframeTokenRequestDto): Promise<IframeTokenDto> {
    return this.iframeTokens.create(caller, dto);
  }
}
