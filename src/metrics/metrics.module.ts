import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics: one registry per application, recorded by the HTTP hook (app.factory),
 * the tokens, provider and rate-limit code, and served at `GET /metrics`. Global, so recording
 * needs no import; it imports nothing itself (the circuit breaker is looked up at scrape time).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
