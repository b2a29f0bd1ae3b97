import { HttpService } from '@nestjs/axios';
import { Injectable, Optional } from '@nestjs/common';
import { isAxiosError } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { AppException } from '../../common/errors/app.exception';
import { InjectLogger, Logger } from '../../common/logging/logger';
import { APP_VERSION } from '../../common/version';
import { AppConfig } from '../../config/configuration';
import { MetricsService, ProviderCallOutcome } from '../../metrics/metrics.service';
import { CreateDashboardInput, ProviderDashboard } from '../analytics-provider';
import { UpstreamAuthFailedError, UpstreamConflictError, UpstreamError, UpstreamUnavailableError } from '../providers.errors';
import { CircuitBreaker } from './circuit-breaker';
import { DASHBOARDS_PATH, isDashboardId, isHeaderSafe, parseRetryAfter, PapermapTarget, readDashboardId, resolvePapermapTarget } from './papermap-http';
import { papermapAuthHeaders } from './papermap-signature';

/** A papermap workspace's connection with every credential present (see PapermapProvider). */
export interface PapermapConnection {
  apiUrl: string;
  apiKeyId: string;
  secretKey: string;
  workspaceId: string;
}

const MAX_ATTEMPTS = 3;
export const MAX_RESPONSE_BYTES = 256 * 1024;
/** A longer Retry-After is handed to our caller instead of holding its request open. */
const MAX_WAIT_RETRY_AFTER_SECONDS = 5;
/** For a 429 without Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;
/** Failures where the request cannot have reached the server, so even a create may be resent. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface Operation<T> {
  method: 'POST' | 'DELETE';
  url: string;
  body?: string;
  /** Whether resending after an answer we did not get (5xx) is harmless. False for creates. */
  idempotent: boolean;
  /** The result for a status this operation expects, `null` if the body has the wrong shape; undefined: not expected. */
  read(status: number, body: string): { value: T } | null | undefined;
}

type Outcome = { status: number; body: string; retryAfter?: number } | { code: string };
type Step<T> = { value: T } | { retryInMs: number } | { error: AppException };

/**
 * Papermap's dashboard API (seed 000) over HMAC-signed HTTP. Each attempt has its own time
 * budget and fresh signature; only attempts that cannot create a second dashboard are repeated.
 * Errors and logs carry status codes and error codes only, never headers or axios errors
 * (their `config.headers` hold the signature).
 */
@Injectable()
export class PapermapClient {
  constructor(
    private readonly http: HttpService,
    private readonly breaker: CircuitBreaker,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
    // Optional: the client also runs in tests without the application around it.
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  createDashboard(connection: PapermapConnection, input: CreateDashboardInput): Promise<ProviderDashboard> {
    return this.observed('create_dashboard', () => this.create(connection, input));
  }

  /** A dashboard the provider does not know (404, 410) counts as deleted. */
  deleteDashboard(connection: PapermapConnection, dashboardId: string): Promise<void> {
    return this.observed('delete_dashboard', () => this.delete(connection, dashboardId));
  }

  private async create(connection: PapermapConnection, input: CreateDashboardInput): Promise<ProviderDashboard> {
    const target = this.target(connection);
    const dashboardId = await this.send(connection, target, {
      method: 'POST',
      url: target.base + DASHBOARDS_PATH,
      body: JSON.stringify({ workspace_id: connection.workspaceId, title: input.title, description: input.description }),
      idempotent: false,
      read: (status, body) => {
        if (status < 200 || status > 299) return undefined;
        const id = readDashboardId(body);
        return id === undefined ? null : { value: id };
      },
    });
    return { dashboardId };
  }

  private async delete(connection: PapermapConnection, dashboardId: string): Promise<void> {
    const target = this.target(connection);
    if (!isDashboardId(dashboardId)) throw new UpstreamError('invalid dashboard id');
    await this.send(connection, target, {
      method: 'DELETE',
      url: `${target.base}${DASHBOARDS_PATH}/${encodeURIComponent(dashboardId)}`,
      idempotent: true,
      read: (status) => ((status >= 200 && status <= 299) || status === 404 || status === 410 ? { value: undefined } : undefined),
    });
  }

  /** Counts one outcome per call, whatever the retries behind it. */
  private async observed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.metrics?.providerCall('papermap', operation, 'ok');
      return result;
    } catch (error) {
      this.metrics?.providerCall('papermap', operation, outcomeOf(error));
      throw error;
    }
  }

  private target(connection: PapermapConnection): PapermapTarget {
    // Values Node would refuse as headers are unusable credentials; refuse them before any I/O.
    if (!isHeaderSafe(connection.apiKeyId) || !isHeaderSafe(connection.workspaceId)) throw new UpstreamAuthFailedError();
    const target = resolvePapermapTarget(connection.apiUrl);
    if (!target) throw new UpstreamError('invalid api_url');
    return target;
  }

  private async send<T>(connection: PapermapConnection, target: PapermapTarget, op: Operation<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const admitted = this.breaker.tryAcquire(target.base);
      if (!admitted.allowed) {
        const error = new UpstreamUnavailableError(admitted.retryAfterMs / 1000, 'circuit open');
        this.logFailure(op, target, attempt, { code: 'CIRCUIT_OPEN' }, 0, error);
        throw error;
      }
      const started = Date.now();
      const outcome = await this.attempt(connection, op);
      if ('code' in outcome || outcome.status >= 500) this.breaker.recordFailure(target.base);
      else this.breaker.recordSuccess(target.base);

      const step = decide(op, outcome, attempt);
      if ('value' in step) return step.value;
      if ('error' in step) {
        this.logFailure(op, target, attempt, outcome, Date.now() - started, step.error);
        throw step.error;
      }
      this.logFailure(op, target, attempt, outcome, Date.now() - started, 'retrying');
      await sleep(step.retryInMs);
    }
  }

  /** One HTTP exchange; never throws. */
  private async attempt<T>(connection: PapermapConnection, op: Operation<T>): Promise<Outcome> {
    const timeoutMs = this.config.papermap.timeoutMs;
    // axios's `timeout` is per socket phase; this deadline also bounds a slowly dripping body.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    try {
      const response = await firstValueFrom(
        this.http.request<string>({
          method: op.method,
          url: op.url,
          data: op.body,
          headers: {
            ...papermapAuthHeaders(connection, Date.now() / 1000),
            Accept: 'application/json',
            'User-Agent': `tessera/${APP_VERSION}`,
            ...(op.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          timeout: timeoutMs,
          signal: deadline.signal,
          maxRedirects: 0,
          maxContentLength: MAX_RESPONSE_BYTES,
          responseType: 'text',
          // Keep the raw text: the shape is checked by us, and a non-JSON body is an error, not a string.
          transformResponse: [(data: unknown) => data],
          validateStatus: () => true,
        }),
      );
      return {
        status: response.status,
        body: typeof response.data === 'string' ? response.data : '',
        retryAfter: parseRetryAfter(response.headers['retry-after'], Date.now()),
      };
    } catch (error) {
      return { code: timedOut ? 'TIMEOUT' : failureCode(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Only fixed, secret-free fields: the reasons are ours, built from status and error codes. */
  private logFailure(op: Operation<unknown>, target: PapermapTarget, attempt: number, outcome: Outcome, durationMs: number, result: AppException | 'retrying'): void {
    const detail = 'code' in outcome ? { code: outcome.code } : { status: outcome.status };
    const retrying = result === 'retrying';
    const reason = retrying ? undefined : 'reason' in result ? String(result.reason) : result.code;
    this.logger.warn(
      { method: op.method, origin: target.origin, ...detail, attempt, durationMs, retrying, reason },
      'papermap request failed',
    );
  }
}

function outcomeOf(error: unknown): ProviderCallOutcome {
  if (error instanceof UpstreamAuthFailedError) return 'auth_failed';
  if (error instanceof UpstreamConflictError) return 'conflict';
  if (error instanceof UpstreamUnavailableError) return 'unavailable';
  return 'error';
}

function decide<T>(op: Operation<T>, outcome: Outcome, attempt: number): Step<T> {
  const attemptsLeft = attempt < MAX_ATTEMPTS;
  if ('code' in outcome) {
    if (outcome.code === 'TIMEOUT') return { error: new UpstreamError('timeout') };
    if (outcome.code === 'TOO_LARGE') return { error: new UpstreamError('response too large') };
    if (NOT_SENT_CODES.has(outcome.code) && attemptsLeft) return { retryInMs: backoffMs(attempt) };
    return { error: new UpstreamError(`connection failed (${outcome.code})`) };
  }

  const { status, retryAfter } = outcome;
  const read = op.read(status, outcome.body);
  if (read) return read;
  if (read === null) return { error: new UpstreamError(`malformed response (status ${status})`) };
  if (status >= 300 && status <= 399) return { error: new UpstreamError(`redirect not followed (status ${status})`) };
  if (status === 401 || status === 403) return { error: new UpstreamAuthFailedError() };
  if (status === 409) return { error: new UpstreamConflictError() };
  if ((status === 429 || status === 503) && retryAfter !== undefined) {
    // The provider refused before doing anything, so waiting and resending cannot duplicate.
    if (retryAfter <= MAX_WAIT_RETRY_AFTER_SECONDS && attemptsLeft) return { retryInMs: retryAfterDelayMs(retryAfter) };
    return { error: new UpstreamUnavailableError(retryAfter, `status ${status}`) };
  }
  if (status === 429) return { error: new UpstreamUnavailableError(DEFAULT_RETRY_AFTER_SECONDS, 'status 429') };
  if (status >= 500 && op.idempotent && attemptsLeft) return { retryInMs: backoffMs(attempt) };
  return { error: new UpstreamError(`unexpected status ${status}`) };
}

/** A short, log-safe code for a failed exchange (never the error's message or config). */
function failureCode(error: unknown): string {
  if (!isAxiosError(error)) return 'UNKNOWN';
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'TIMEOUT';
  if (error.code === 'ERR_BAD_RESPONSE' && error.message.includes('maxContentLength')) return 'TOO_LARGE';
  // Dual-stack connects fail with an AggregateError; it counts as not sent only if every address refused.
  const nested = (error.cause as { errors?: Array<{ code?: unknown }> } | undefined)?.errors;
  const codes = new Set(Array.isArray(nested) ? nested.map((inner) => inner?.code) : [error.code]);
  const code = codes.size === 1 ? [...codes][0] : error.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'NETWORK_ERROR';
}

/** Jittered exponential backoff: ~100 ms, then ~300 ms. */
function backoffMs(attempt: number): number {
  const base = 100 * 3 ** (attempt - 1);
  return base / 2 + Math.random() * base;
}

/** At least what the provider asked for, plus jitter so that waiting callers do not return together. */
function retryAfterDelayMs(seconds: number): number {
  const ms = seconds * 1000;
  return ms + Math.random() * Math.max(100, ms * 0.2);
}
