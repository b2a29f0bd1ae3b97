import { Test } from '@nestjs/testing';
import { CircuitBreaker, CIRCUIT_BREAKER_OPTIONS } from './circuit-breaker';

const KEY = 'https://provider.example';

function breakerAt(start = 1_000_000, options: { failureThreshold?: number; coolDownMs?: number } = {}) {
  const clock = { now: start };
  const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000, ...options, now: () => clock.now });
  return { breaker, clock };
}

function fail(breaker: CircuitBreaker, times: number, key = KEY): void {
  for (let i = 0; i < times; i++) {
    expect(breaker.tryAcquire(key)).toEqual({ allowed: true });
    breaker.recordFailure(key);
  }
}

describe('CircuitBreaker', () => {
  it('should stay closed below the failure threshold', () => {
    const { breaker } = breakerAt();
    fail(breaker, 2);
    expect(breaker.state(KEY)).toBe('closed');
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
  });

  it('should reset the count of consecutive failures on a success', () => {
    const { breaker } = breakerAt();
    fail(breaker, 2);
    breaker.recordSuccess(KEY);
    fail(breaker, 2);
    expect(breaker.state(KEY)).toBe('closed');
    expect(breaker.states()).toEqual({ [KEY]: 'closed' });
    breaker.recordSuccess(KEY);
    expect(breaker.states()).toEqual({});
  });

  it('should open after N consecutive failures and refuse with the remaining cool-down', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    expect(breaker.state(KEY)).toBe('open');
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    clock.now += 4_000;
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(breaker.states()).toEqual({ [KEY]: 'open' });
  });

  it('should keep keys apart', () => {
    const { breaker } = breakerAt();
    fail(breaker, 3);
    expect(breaker.tryAcquire('https://other.example')).toEqual({ allowed: true });
    expect(breaker.state('https://other.example')).toBe('closed');
  });

  it('should let exactly one trial through when half-open, and close on its success', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    clock.now += 10_000;
    expect(breaker.state(KEY)).toBe('half-open');
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
    expect(breaker.tryAcquire(KEY).allowed).toBe(false);
    breaker.recordSuccess(KEY);
    expect(breaker.state(KEY)).toBe('closed');
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
  });

  it('should re-open for a full cool-down when the trial fails', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    clock.now += 10_000;
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
    breaker.recordFailure(KEY);
    expect(breaker.state(KEY)).toBe('open');
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('should allow a new trial when the previous one never reported', () => {
    const { breaker, clock } = breakerAt();
    fail(breaker, 3);
    clock.now += 10_000;
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
    clock.now += 9_999;
    expect(breaker.tryAcquire(KEY).allowed).toBe(false);
    clock.now += 1;
    expect(breaker.tryAcquire(KEY)).toEqual({ allowed: true });
  });

  it('should default to 5 failures and 30 s when built by Nest without options', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [CircuitBreaker] }).compile();
    const breaker = moduleRef.get(CircuitBreaker);
    fail(breaker, 4);
    expect(breaker.state(KEY)).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state(KEY)).toBe('open');
    const decision = breaker.tryAcquire(KEY);
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.retryAfterMs).toBeGreaterThan(29_000);
  });

  it('should take options from CIRCUIT_BREAKER_OPTIONS when provided', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [CircuitBreaker, { provide: CIRCUIT_BREAKER_OPTIONS, useValue: { failureThreshold: 1 } }],
    }).compile();
    const breaker = moduleRef.get(CircuitBreaker);
    fail(breaker, 1);
    expect(breaker.state(KEY)).toBe('open');
  });
});
