import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/configuration';
import { CircuitBreaker } from '../providers/papermap/circuit-breaker';

/** The route of the scrape endpoint; its own requests are not counted in the HTTP metrics. */
export const METRICS_ROUTE = '/metrics';
/** The `route` label of a request no route matched (404s): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export type TokenIssueType = 'dashboard' | 'project';
export type TokenValidationOutcome = 'valid' | 'expired' | 'invalid';
export type TokenRevocationKind = 'token' | 'tenant' | 'dashboard';
export type ProviderCallOutcome = 'ok' | 'auth_failed' | 'conflict' | 'error' | 'unavailable';

/** 1 ms to 5 s: a cached read is a few ms, a provider call can take seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics of one application instance. Each instance owns its registry (never
 * prom-client's global one), so several apps in one process (the e2e tests) count separately.
 * The recording methods are called on hot paths: a label object and a counter bump, nothing more.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly tokensIssued: Counter<'type'>;
  private readonly tokensValidated: Counter<'outcome'>;
  private readonly tokensRevoked: Counter<'kind'>;
  private readonly providerCalls: Counter<'provider' | 'operation' | 'outcome'>;
  private readonly rateLimitRejections: Counter<'limit'>;
  /** Resolved on the first scrape; null when the application has no papermap provider. */
  private breaker?: CircuitBreaker | null;

  constructor(
    config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    const registers = [this.registry];
    // Process metrics (CPU, memory, event loop lag, GC) only when someone can read them.
    if (config.metrics.enabled) collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });

    this.httpRequests = new Counter({
      name: 'tessera_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its response, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.tokensIssued = new Counter({ name: 'tessera_tokens_issued_total', help: 'Embed tokens issued, by token type.', labelNames: ['type'], registers });
    this.tokensValidated = new Counter({
      name: 'tessera_tokens_validated_total',
      help: 'Embed token validations through the Tokens API, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.tokensRevoked = new Counter({
      name: 'tessera_tokens_revoked_total',
      help: 'Revocations, by kind: one token, every token of a tenant, or of a dashboard.',
      labelNames: ['kind'],
      registers,
    });
    this.providerCalls = new Counter({
      name: 'tessera_provider_calls_total',
      help: 'Calls to an analytics provider (retries included in one call), by provider, operation and outcome.',
      labelNames: ['provider', 'operation', 'outcome'],
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: 'tessera_rate_limit_rejections_total',
      help: 'Requests refused with 429, by the name of the limit.',
      labelNames: ['limit'],
      registers,
    });
    const breakerState = (): CircuitBreaker | null => this.circuitBreaker();
    new Gauge({
      name: 'tessera_provider_circuit_open',
      help: "1 while the circuit breaker of a provider API origin is open or half-open, 0 while it is closed.",
      labelNames: ['api_origin'],
      registers,
      collect() {
        this.reset();
        const open = new Map<string, number>();
        for (const [key, state] of Object.entries(breakerState()?.states() ?? {})) {
          const origin = originOf(key);
          // Several api_urls can share an origin: it is open if any of them is.
          open.set(origin, Math.max(open.get(origin) ?? 0, state === 'closed' ? 0 : 1));
        }
        for (const [origin, value] of open) this.set({ api_origin: origin }, value);
      },
    });

    // Known label values start at 0, so rate() works from the first increment on.
    for (const type of ['dashboard', 'project'] as const) this.tokensIssued.inc({ type }, 0);
    for (const outcome of ['valid', 'expired', 'invalid'] as const) this.tokensValidated.inc({ outcome }, 0);
    // Not `dashboard`: deleting a dashboard revokes its tokens, but that path does not report here yet.
    for (const kind of ['token', 'tenant'] as const) this.tokensRevoked.inc({ kind }, 0);
  }

  /** `route` is the matched pattern (e.g. `/api/v1/tenants/:tenantId`), undefined when none matched. */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    if (route === METRICS_ROUTE) return;
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  tokenIssued(type: TokenIssueType): void {
    this.tokensIssued.inc({ type });
  }

  tokenValidated(outcome: TokenValidationOutcome): void {
    this.tokensValidated.inc({ outcome });
  }

  tokenRevoked(kind: TokenRevocationKind): void {
    this.tokensRevoked.inc({ kind });
  }

  providerCall(provider: string, operation: string, outcome: ProviderCallOutcome): void {
    this.providerCalls.inc({ provider, operation, outcome });
  }

  rateLimited(limit: string): void {
    this.rateLimitRejections.inc({ limit });
  }

  /** The exposition text (`text/plain; version=0.0.4`) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }

  private circuitBreaker(): CircuitBreaker | null {
    if (this.breaker === undefined) {
      try {
        // Looked up, not injected: the providers module injects this service, and does not export its breaker.
        this.breaker = this.moduleRef.get(CircuitBreaker, { strict: false });
      } catch {
        this.breaker = null;
      }
    }
    return this.breaker;
  }
}

/** The breaker is keyed by `origin + path`; the label carries the origin only. */
function originOf(key: string): string {
  try {
    return new URL(key).origin;
  } catch {
    return 'invalid';
  }
}
