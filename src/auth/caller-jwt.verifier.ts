import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, JWTVerifyGetKey, jwtVerify, JWTVerifyOptions } from 'jose';
import { decodePayload, hasValidHmac, HS256_SIGNATURE_BYTES, parseCompact } from '../common/crypto/compact-jws';
import { AppConfig } from '../config/configuration';
import { Caller, callerFromClaims } from './caller';

/** Larger tokens are refused before any parsing. */
export const MAX_CALLER_TOKEN_LENGTH = 8_192;
/** Allowed clock difference for nbf / iat / exp. */
export const CLOCK_SKEW_SECONDS = 60;
/** Header parameters that point at keys elsewhere; Tessera never fetches them and refuses them. */
const KEY_REFERENCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/**
 * Verifies caller JWTs (RFC 8725): HS256 with JWT_SECRET, or RS256/ES256 with the identity
 * provider's JWKS (cached; an unknown `kid` triggers at most one fetch per cool-down). The
 * algorithm list is fixed per mode, `exp` is required, `iss`/`aud` are checked when configured.
 *
 * HS256 runs on every management request, so it is checked with Node's HMAC and the prepared
 * secret (a few µs; jose spends ~100 µs on the same token). JWKS mode uses jose.
 */
@Injectable()
export class CallerJwtVerifier {
  private readonly secret?: KeyObject;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(config: AppConfig) {
    const { auth } = config;
    if (auth.jwksUri) {
      this.jwks = createRemoteJWKSet(new URL(auth.jwksUri), {
        cooldownDuration: auth.jwksCooldownMs,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      });
    } else if (auth.jwtSecret) {
      this.secret = createSecretKey(Buffer.from(auth.jwtSecret, 'utf8'));
    } else {
      throw new Error('caller JWT verification needs JWT_SECRET or JWT_JWKS_URI');
    }
    this.options = {
      algorithms: ['RS256', 'ES256'],
      issuer: auth.issuer,
      audience: auth.audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp'],
    };
  }

  /** The caller, or undefined for any kind of bad token (never throws). */
  async verify(token: string): Promise<Caller | undefined> {
    if (token.length === 0 || token.length > MAX_CALLER_TOKEN_LENGTH) return undefined;
    try {
      const payload = this.secret ? this.verifyHs256(token, this.secret) : await this.verifyWithJwks(token, this.jwks!);
      if (!payload || (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)) return undefined;
      return callerFromClaims(payload);
    } catch {
      return undefined;
    }
  }

  private async verifyWithJwks(token: string, jwks: JWTVerifyGetKey): Promise<Record<string, unknown> | undefined> {
    const header = decodeProtectedHeader(token);
    if (KEY_REFERENCE_HEADERS.some((name) => name in header)) return undefined;
    return (await jwtVerify(token, jwks, this.options)).payload;
  }

  /** The claims of a well-formed, correctly signed, currently valid HS256 token, else undefined. */
  private verifyHs256(token: string, secret: KeyObject): Record<string, unknown> | undefined {
    const jws = parseCompact(token, HS256_SIGNATURE_BYTES, MAX_CALLER_TOKEN_LENGTH);
    if (!jws) return undefined;
    const { header } = jws;
    // `crit` names extensions we do not implement (RFC 7515 §4.1.11): refuse, as jose would.
    if (header.alg !== 'HS256' || 'crit' in header || KEY_REFERENCE_HEADERS.some((name) => name in header)) return undefined;
    if (!hasValidHmac(jws, secret)) return undefined;
    const claims = decodePayload(jws);
    return claims && this.timesAndPartiesValid(claims) ? claims : undefined;
  }

  /** RFC 7519 §4.1: `exp` required; `nbf`/`iat` numeric when present; `iss`/`aud` when configured. */
  private timesAndPartiesValid(claims: Record<string, unknown>): boolean {
    const now = Date.now() / 1000;
    const { exp, nbf, iat, iss, aud } = claims;
    if (!isNumericDate(exp) || exp <= now - CLOCK_SKEW_SECONDS) return false;
    if (nbf !== undefined && (!isNumericDate(nbf) || nbf > now + CLOCK_SKEW_SECONDS)) return false;
    if (iat !== undefined && !isNumericDate(iat)) return false;
    if (this.options.issuer !== undefined && iss !== this.options.issuer) return false;
    if (this.options.audience !== undefined) {
      const audiences = Array.isArray(aud) ? aud : [aud];
      if (!audiences.includes(this.options.audience)) return false;
    }
    return true;
  }
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The bearer credential of an `Authorization` header, or undefined (each consumer checks its format). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}
