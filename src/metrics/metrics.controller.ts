import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { bearerToken } from '../auth/caller-jwt.verifier';
import { Public } from '../auth/decorators/public.decorator';
import { hashSecret, secretMatches } from '../common/crypto/secret-tokens';
import { NotFoundError } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/swagger/api-envelope.decorators';
import { AppConfig } from '../config/configuration';
import { MetricsUnauthorizedError } from './metrics.errors';
import { MetricsService } from './metrics.service';


@ApiTags('metrics')
// Not a caller-JWT route: it is off, open or guarded by METRICS_TOKEN, by configuration.
@Public()
@Controller()
export class MetricsController {
  /** SHA-256 of METRICS_TOKEN, so the compare is constant-time whatever the presented length. */
  private readonly tokenHash?: string;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {
    this.tokenHash = config.metrics.token === undefined ? undefined : hashSecret(config.metrics.token);
  }

  /**
   * Prometheus metrics
   *
   * @remarks The Prometheus text exposition format (`text/plain; version=0.0.4`), not the JSON
   * envelope: HTTP requests and their durations by route pattern, embed tokens issued, validated
   * and revoked, provider calls and circuit breakers, rate-limit rejections, and process metrics,
   * all prefixed `tessera_`. Each instance reports its own counters; scrape every replica.
   * 404 `NOT_FOUND` when `METRICS_ENABLED=false`; when `METRICS_TOKEN` is set, send it as
   * `Authorization: Bearer <token>` (else 401 `UNAUTHORIZED`).
   */
  @Get('metrics')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format', schema: { type: 'string', example: 'tessera_tokens_issued_total{type="dashboard"} 3\n' } })
  @ApiErrors(ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND)
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (!this.config.metrics.enabled) throw new NotFoundError();
    if (this.tokenHash !== undefined) {
      const presented = bearerToken(authorization);
      if (presented === undefined || !secretMatches(presented, this.tokenHash)) throw new MetricsUnauthorizedError();
    }
    const { contentType, body } = await this.metrics.scrape();
    await reply.header('cache-control', 'no-store').type(contentType).send(body);
  }
}
