/**
 * Secrets that must never protect a production deployment: the placeholders shipped in our own
 * docker-compose.yml and .env.example, and the usual tutorial values.
 */
export const KNOWN_DEFAULT_SECRETS: ReadonlySet<string> = new Set([
  'secret',
  'changeme',
  'change-me',
  'password',
  'your-secret-key',
  'your-256-bit-secret',
  'supersecret',
  'jwt-secret',
  'jwt_secret',
  'tessera',
  'tessera-dev-secret',
  'change-me-to-a-random-string-of-at-least-32-bytes',
  // base64 of 32 zero bytes, and our compose placeholder for ENCRYPTION_KEY
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI=',
]);

export const MIN_JWT_SECRET_BYTES = 32;

export function isKnownDefaultSecret(value: string): boolean {
  return KNOWN_DEFAULT_SECRETS.has(value) || KNOWN_DEFAULT_SECRETS.has(value.toLowerCase());
}

/** Too few distinct characters means a typed-in or repeated value, not a random one. */
export function hasLowVariety(value: string): boolean {
  return new Set(value).size < 8;
}
