import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a signed request stays valid (seed 000: X-Valid-Until = now + 300 s). */
export const PAPERMAP_SIGNATURE_TTL_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export interface PapermapCredentials {
  apiKeyId: string;
  workspaceId: string;
  secretKey: string;
}

/** Lowercase hex HMAC-SHA256 of `workspaceId + validUntil` (UTF-8), keyed by the secret key. */
export function signPapermap(workspaceId: string, validUntil: number, secretKey: string): string {
  return hmacHex(workspaceId + String(validUntil), secretKey);
}

/** The four headers of a signed Papermap API request. Build them per attempt: they expire. */
export function papermapAuthHeaders(credentials: PapermapCredentials, nowSeconds: number): Record<string, string> {
  const validUntil = Math.floor(nowSeconds) + PAPERMAP_SIGNATURE_TTL_SECONDS;
  return {
    'X-API-Key-ID': credentials.apiKeyId,
    'X-Workspace-ID': credentials.workspaceId,
    'X-Valid-Until': String(validUntil),
    'X-Signature': signPapermap(credentials.workspaceId, validUntil, credentials.secretKey),
  };
}

/**
 * Checks an incoming signature over `workspaceId + validUntil` exactly as received (no number
 * round-trip, so `0300` and `300` are different messages). Only lowercase hex of the right length
 * is compared, then in constant time; anything else is false, never an exception. Expiry of
 * `validUntil` is the caller's check.
 */
export function verifyPapermapSignature(workspaceId: string, validUntil: string, signature: string, secretKey: string): boolean {
  if (typeof workspaceId !== 'string' || typeof validUntil !== 'string' || typeof secretKey !== 'string') return false;
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secretKey).update(workspaceId + validUntil, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

function hmacHex(message: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(message, 'utf8').digest('hex');
}
