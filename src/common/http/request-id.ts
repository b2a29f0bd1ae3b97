import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Reuses a caller's (or proxy's) X-Request-Id when it is a plain token, so one id follows a
 * request across services; anything else (too long, odd characters that could forge log lines)
 * is replaced by a fresh UUID.
 */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  if (typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming)) return incoming;
  return randomUUID();
}
