/** Field names whose values never reach a log line, at any depth. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|signature|api[-_]?key|private[-_]?key|credential|encryption[-_]?key|dsn|connection[-_]?string|database[-_]?url/i;

export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Returns a copy of a log object with secret-named fields replaced. Plain objects and arrays
 * are walked (copy-on-write, so callers' objects are never changed); errors, dates, buffers
 * and class instances are left to pino's serializers.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = redactSecrets(item, depth + 1);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return (copy ?? value) as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactSecrets(item, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return (copy ?? value) as T;
}
