import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { perCaller, RATE_LIMIT, RateLimitedRequest, RateLimitRule } from './rate-limit.decorator';

export class RateLimitExceededError extends AppException {
  constructor(retryAfterSeconds: number, headers: Record<string, string>) {
    super(ErrorCode.RATE_LIMIT_EXCEEDED, `Too many requests; retry in ${retryAfterSeconds} s`, 429, undefined, {
      ...headers,
      'retry-after': String(retryAfterSeconds),
    });
  }
}

/**
 * Global, after the caller guard: counts each request against its route's named limit
 * (@RateLimit) or the default per-caller (else per-address) limit, in the throttler storage
 * (in-process, or shared when configured), and sends `RateLimit-*` headers.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<RateLimitRule | undefined>(RATE_LIMIT, context.getHandler()) ?? { name: 'default', tracker: perCaller };
    const request = context.switchToHttp().getRequest<RateLimitedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const { limit, ttlMs } = this.config.rateLimits[rule.name];
    const subject = rule.tracker(request) ?? `ip:${request.ip}`;

    // Fixed windows: exactly `limit` admitted per `ttl` window (refused requests are counted but never admitted).
    const record = await this.storage.increment(`${rule.name}:${subject}`, ttlMs, limit, 0, rule.name);
    const headers = {
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': String(Math.max(0, limit - record.totalHits)),
      'ratelimit-reset': String(Math.max(0, Math.ceil(record.timeToExpire))),
    };
    if (record.isBlocked) {
      this.metrics.rateLimited(rule.name);
      throw new RateLimitExceededError(Math.max(1, Math.ceil(record.timeToBlockExpire)), headers);
    }
    void reply.headers(headers);
    return true;
  }
}
