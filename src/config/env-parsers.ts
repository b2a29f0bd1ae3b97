/**
 * Small, strict readers for environment variables. Each returns the parsed value or records a
 * problem; `loadConfiguration` collects every problem so one start reports all of them at once.
 */
export type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return Number(value);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value;
    } catch {
      // Never echo the value: a database URL carries a password.
      this.problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL`);
      return undefined;
    }
  }

  /** `COUNT/WINDOW` with WINDOW like `60s`, `1m`, `1h` (a bare number means seconds). */
  rateLimit(name: string, fallback: string): RateLimit {
    const value = this.raw(name) ?? fallback;
    const parsed = parseRateLimit(value);
    if (!parsed) {
      this.problems.push(`${name} must look like COUNT/WINDOW, e.g. 100/60s`);
      return parseRateLimit(fallback)!;
    }
    return parsed;
  }

  list(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
}

export interface RateLimit {
  limit: number;
  ttlMs: number;
}

const WINDOW_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

export function parseRateLimit(value: string): RateLimit | undefined {
  const match = /^(\d{1,9})\/(\d{1,6})(s|m|h)?$/.exec(value.trim());
  if (!match) return undefined;
  const limit = Number(match[1]);
  const ttlMs = Number(match[2]) * WINDOW_UNITS[match[3] ?? 's'];
  if (limit < 1 || ttlMs < 1_000) return undefined;
  return { limit, ttlMs };
}
