/**
 * Pure helpers of the Papermap client: where to send, how to read what came back. Nothing here
 * sees a secret, so everything here may appear in an error reason or a log line.
 */

export const DASHBOARDS_PATH = '/api/v1/external/dashboards';
export const MAX_DASHBOARD_ID_LENGTH = 256;

export interface PapermapTarget {
  /** `origin + path` of api_url without a trailing slash: the base of every URL and the circuit key. */
  base: string;
  /** Scheme, host and port only: what logs may show (never userinfo, path or query). */
  origin: string;
}

/** Parses a workspace's api_url; null when it is not an absolute http(s) URL. */
export function resolvePapermapTarget(apiUrl: string): PapermapTarget | null {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Userinfo, query and fragment are dropped on purpose: credentials travel only in the HMAC headers.
  return { base: url.origin + url.pathname.replace(/\/+$/, ''), origin: url.origin };
}

/**
 * What we accept as a provider's dashboard id: it is stored, put in URLs and in tokens. `.` and
 * `..` are refused because a URL parser would turn `/dashboards/..` into another resource.
 */
export function isDashboardId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_DASHBOARD_ID_LENGTH &&
    !/[\u0000-\u001f\u007f]/.test(value) &&
    value !== '.' &&
    value !== '..'
  );
}

/** `body.data.data.dashboard_id` of a create response (seed 000), or undefined if the shape is wrong. */
export function readDashboardId(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const id = ownField(ownField(ownField(parsed, 'data'), 'data'), 'dashboard_id');
  return isDashboardId(id) ? id : undefined;
}

/**
 * Seconds to wait from a `Retry-After` header (delta-seconds or IMF-fixdate), capped at a day;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: unknown, nowMs: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  let seconds: number;
  if (/^\d+$/.test(value)) {
    seconds = Number(value);
  } else {
    // Only IMF-fixdate (RFC 9110 §5.6.7): Date.parse alone also accepts '-1' or '1.5'.
    if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    seconds = Math.max(0, Math.ceil((date - nowMs) / 1000));
  }
  return Math.min(seconds, 86_400);
}

/** Printable ASCII without surrounding spaces: what an HTTP header value can carry unchanged. */
export function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value);
}

function ownField(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
