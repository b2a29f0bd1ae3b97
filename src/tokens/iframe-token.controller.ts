import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { TenantAccess } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { perCaller, RateLimit } from '../rate-limit/rate-limit.decorator';
import { IFRAME_TOKEN_EXAMPLES, IframeTokenDto, IframeTokenRequestDto } from './dto/iframe-token.dto';
import { IframeTokensService } from './iframe-tokens.service';

@ApiTags('dashboards')
@Controller('api/v1/dashboards')
export class IframeTokenController {
  constructor(private readonly iframeTokens: IframeTokensService) {}

  /**
   * Create an iframe token
   *
   * @remarks Needs has_access to `tenant_id`; 10 requests per minute per caller. `dashboard_id` must
   * be that tenant's dashboard in that workspace (else 404). Returns a token and the `embed_url` to
   * put in the iframe's `src`: for `builtin` workspaces a Tessera dashboard token for Tessera's embed
   * page, for `papermap` workspaces the Papermap-format token its provider verifies. `valid_until`
   * defaults to 1 h from now, at most 24 h, never in the past (422). A suspended tenant gets 403.
   */
  @Post('iframe-token')
  @HttpCode(200)
  @TenantAccess({ body: 'tenant_id' })
  @RateLimit('iframeToken', perCaller)
  @ApiBody({ type: IframeTokenRequestDto, examples: IFRAME_TOKEN_EXAMPLES })
  @ApiEnvelope(IframeTokenDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED)
  create(@CurrentCaller() caller: Caller, @Body() dto: IframeTokenRequestDto): Promise<IframeTokenDto> {
    return this.iframeTokens.create(caller, dto);
  }
}
