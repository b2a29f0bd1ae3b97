import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { NotFoundError } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { toProblem } from '../common/errors/error-mapper';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { AppConfig } from '../config/configuration';
import { EmbedRefreshDto, EmbedRefreshResultDto } from './dto/refresh.dto';
import { Asset, loadAssets } from './embed-assets';
import { renderDashboardPage, renderErrorPage } from './embed-page.html';
import { EmbedService } from './embed.service';

const PAGE_ASSETS = ['embed-page.js', 'embed-page.css'];
const EXAMPLE_ASSETS = ['host.html', 'host.js', 'host.css'];

/** A strict policy for the page: its own script and stylesheet only, framed by the tenant's origins. */
function pageCsp(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

@ApiTags('embed')
@Public()
@Controller()
export class EmbedController {
  private readonly assets = loadAssets([...PAGE_ASSETS, 'embed.js', ...EXAMPLE_ASSETS]);

  constructor(
    private readonly embed: EmbedService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The built-in provider's embed page (HTML) for a dashboard token. Framed only by the tenant's
   * allowed origins (`Content-Security-Policy: frame-ancestors`); an invalid, expired or revoked
   * token gets an error page with the status and code instead of the dashboard.
   */
  @Get('embedded/dashboard')
  @ApiOperation({
    summary: 'Embed page (HTML)',
    description:
      'The built-in provider\'s dashboard page for a dashboard token (the `embed_url` of a builtin iframe token). ' +
      'Framed only by the tenant\'s allowed origins (`Content-Security-Policy: frame-ancestors`). An invalid, expired or ' +
      'revoked token gets an HTML error page with the status and `data-code` instead of the dashboard.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The dashboard page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiErrors(ErrorCode.INVALID_TOKEN, ErrorCode.TOKEN_EXPIRED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  @ApiQuery({ name: 'embedded-token', required: true, description: 'A Tessera dashboard token (from an iframe token or the Tokens API)' })
  @ApiQuery({ name: 'workspace-id', required: true, description: 'The workspace the token names' })
  @ApiQuery({ name: 'dashboard-id', required: true, description: 'The dashboard the token names (`dashboard_id`)' })
  async page(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const text = (name: string): string | undefined => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    void reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').removeHeader('x-frame-options');
    try {
      const context = await this.embed.open(text('embedded-token'), text('workspace-id'), text('dashboard-id'));
      const ancestors = context.allowedOrigins.length > 0 ? context.allowedOrigins.join(' ') : "'none'";
      await reply.header('content-security-policy', pageCsp(ancestors)).type('text/html; charset=utf-8').send(renderDashboardPage(context));
    } catch (error) {
      const problem = toProblem(error);
      if (problem.unexpected) throw error;
      // The error page shows nothing of the dashboard, so any host may show it to its user.
      await reply
        .status(problem.status)
        .header('content-security-policy', pageCsp('*'))
        .type('text/html; charset=utf-8')
        .send(renderErrorPage(problem.status, problem.code, problem.message));
    }
  }

  /**
   * Silent refresh for the embed page: checks the token in use and the new one, returns the new expiry.
   *
   * @remarks Called by the embed page itself (same origin) with both tokens in the body, never in a URL.
   * The token in use must still be valid (a revoked session ends here); the new one must be a dashboard
   * token for the same organization, tenant, workspace and dashboard.
   */
  @Post('embedded/dashboard/refresh')
  @HttpCode(200)
  @ApiEnvelope(EmbedRefreshResultDto)
  @ApiErrors(ErrorCode.INVALID_TOKEN, ErrorCode.TOKEN_EXPIRED, ErrorCode.VALIDATION_ERROR)
  refresh(@Body() dto: EmbedRefreshDto): Promise<EmbedRefreshResultDto> {
    return this.embed.refresh(dto);
  }

  @Get('embedded/assets/:name')
  @ApiExcludeEndpoint()
  asset(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    if (!PAGE_ASSETS.includes(name)) throw new NotFoundError();
    return this.sendAsset(reply, this.assets.get(name)!, 'public, max-age=300');
  }

  /** The host-page helper (`TesseraEmbed.embed`), loadable from any origin. */
  @Get('embed.js')
  @ApiOperation({
    summary: 'Host-page embed helper (JavaScript)',
    description: '`TesseraEmbed.embed({container, getToken, onState})`: creates the iframe and answers the page\'s silent-refresh requests. Loadable from any origin.',
  })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The script', content: { 'text/javascript': { schema: { type: 'string' } } } })
  embedScript(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('cross-origin-resource-policy', 'cross-origin').header('access-control-allow-origin', '*');
    return this.sendAsset(reply, this.assets.get('embed.js')!, 'public, max-age=300');
  }

  /** Development only: an example host page that embeds a dashboard and answers refresh requests. */
  @Get('examples/:name')
  @ApiExcludeEndpoint()
  example(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    if (this.config.env === 'production') throw new NotFoundError();
    const file = name === 'host' ? 'host.html' : name;
    if (!EXAMPLE_ASSETS.includes(file)) throw new NotFoundError();
    void reply.header(
      'content-security-policy',
      `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src ${new URL(this.config.http.publicUrl).origin} 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    return this.sendAsset(reply, this.assets.get(file)!, 'no-store');
  }

  private async sendAsset(reply: FastifyReply, asset: Asset, cacheControl: string): Promise<void> {
    await reply.header('cache-control', cacheControl).type(asset.contentType).send(asset.body);
  }
}
