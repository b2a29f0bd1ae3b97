import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/configuration';
import { CircuitBreaker } from '../providers/papermap/circuit-breaker';
import { MetricsService } from './metrics.service';

const config = (enabled = true): AppConfig => ({ metrics: { enabled } }) as AppConfig;
const withBreaker = (breaker: CircuitBreaker | undefined): ModuleRef =>
  ({
    get: () => {
      if (!breaker) throw new Error('not found');
      return breaker;
    },
  }) as unknown as ModuleRef;

describe('MetricsService', () => {
  it('should label a request without a route as unmatched and skip the scrape route', async () => {
    const metrics = new MetricsService(config(false), withBreaker(undefined));
    metrics.observeRequest('GET', undefined, 404, 0.002);
    metrics.observeRequest('GET', '/metrics', 200, 0.002);
    metrics.observeRequest('GET', '/api/v1/tenants/:tenantId', 200, 0.02);
    const { body } = await metrics.scrape();
    expect(body).toContain('tessera_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(body).toContain('tessera_http_requests_total{method="GET",route="/api/v1/tenants/:tenantId",status="200"} 1');
    expect(body).toContain('tessera_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/v1/tenants/:tenantId",status="200"} 1');
    expect(body).not.toContain('route="/metrics"');
    // Disabled: no process metrics are collected.
    expect(body).not.toContain('tessera_process_');
  });

  it('should report circuits by origin, open if any api_url of the origin is open or half-open', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1_000, now: () => now });
    const metrics = new MetricsService(config(false), withBreaker(breaker));
    breaker.recordFailure('https://a.example/one');
    breaker.recordFailure('https://a.example/two');
    breaker.recordFailure('https://a.example/two');
    breaker.recordFailure('https://b.example');
    expect((await metrics.scrape()).body).toContain('tessera_provider_circuit_open{api_origin="https://a.example"} 1');
    expect((await metrics.scrape()).body).toContain('tessera_provider_circuit_open{api_origin="https://b.example"} 0');
    now = 5_000; // a.example/two is half-open now: still reported as open
    expect((await metrics.scrape()).body).toContain('tessera_provider_circuit_open{api_origin="https://a.example"} 1');
    breaker.recordSuccess('https://a.example/two');
    breaker.recordSuccess('https://b.example');
    const { body } = await metrics.scrape();
    expect(body).toContain('tessera_provider_circuit_open{api_origin="https://a.example"} 0');
    expect(body).not.toContain('b.example');
    expect(body).not.toContain('/one');
  });

  it('should report no circuits when the application has no circuit breaker', async () => {
    const metrics = new MetricsService(config(false), withBreaker(undefined));
    expect((await metrics.scrape()).body).not.toContain('tessera_provider_circuit_open{');
  });

  it('should keep separate counts per instance', async () => {
    const a = new MetricsService(config(false), withBreaker(undefined));
    const b = new MetricsService(config(false), withBreaker(undefined));
    a.tokenIssued('project');
    expect((await a.scrape()).body).toContain('tessera_tokens_issued_total{type="project"} 1');
    expect((await b.scrape()).body).toContain('tessera_tokens_issued_total{type="project"} 0');
  });
});
