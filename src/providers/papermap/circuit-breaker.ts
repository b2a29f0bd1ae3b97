import { Inject, Injectable, Optional } from '@nestjs/common';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before one trial call is let through. Default 30 s. */
  coolDownMs?: number;
  /** Clock in milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/** Optional DI token to override the defaults: `{ provide: CIRCUIT_BREAKER_OPTIONS, useValue: {...} }`. */
export const CIRCUIT_BREAKER_OPTIONS = Symbol('CIRCUIT_BREAKER_OPTIONS');

export type CircuitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Circuit {
  failures: number;
  /** Set while open: when the next trial call may go. */
  openUntil?: number;
  /** Set while a half-open trial is in flight: when we stop waiting for its result. */
  trialUntil?: number;
}

/**
 * One circuit per key (the provider's API URL), kept in memory per process. A key is only stored
 * while it has failures, so healthy providers cost nothing. Callers ask `tryAcquire` before each
 * attempt and report exactly one `recordSuccess` or `recordFailure` after it.
 */
@Injectable()
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly circuits = new Map<string, Circuit>();

  constructor(@Optional() @Inject(CIRCUIT_BREAKER_OPTIONS) options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options?.failureThreshold ?? 5);
    this.coolDownMs = Math.max(0, options?.coolDownMs ?? 30_000);
    this.now = options?.now ?? Date.now;
  }

  /** Whether a call to `key` may go now. A half-open circuit lets exactly one trial through. */
  tryAcquire(key: string): CircuitDecision {
    const circuit = this.circuits.get(key);
    if (circuit?.openUntil === undefined) return { allowed: true };
    const now = this.now();
    if (now < circuit.openUntil) return { allowed: false, retryAfterMs: circuit.openUntil - now };
    // A trial whose result never arrived (a caller bug or a lost promise) must not wedge the key.
    if (circuit.trialUntil !== undefined && now < circuit.trialUntil) {
      return { allowed: false, retryAfterMs: Math.min(1_000, circuit.trialUntil - now) };
    }
    circuit.trialUntil = now + Math.max(this.coolDownMs, 1_000);
    return { allowed: true };
  }

  recordSuccess(key: string): void {
    this.circuits.delete(key);
  }

  recordFailure(key: string): void {
    const circuit = this.circuits.get(key) ?? { failures: 0 };
    circuit.failures += 1;
    const halfOpen = circuit.openUntil !== undefined && this.now() >= circuit.openUntil;
    if (halfOpen || circuit.failures >= this.failureThreshold) {
      circuit.openUntil = this.now() + this.coolDownMs;
      circuit.trialUntil = undefined;
    }
    this.circuits.set(key, circuit);
  }

  state(key: string): CircuitState {
    const circuit = this.circuits.get(key);
    if (circuit?.openUntil === undefined) return 'closed';
    return this.now() < circuit.openUntil ? 'open' : 'half-open';
  }

  /** Every key with failures since its last success, with its state (for metrics). */
  states(): Record<string, CircuitState> {
    const result: Record<string, CircuitState> = {};
    for (const key of this.circuits.keys()) result[key] = this.state(key);
    return result;
  }
}
