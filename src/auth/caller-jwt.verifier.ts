import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, JWTVerifyGetKey, jwtVerify, JWTVerifyOptions } from 'jose';
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
 */
@Injectable()
export class CallerJwtVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(config: AppConfig) {
    const { auth } = config;
    if (auth.jwksUri) {
      this.key = createRemoteJWKSet(new URL(auth.jwksUri), {
        cooldownDuration: auth.jwksCooldownMs,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      });
    } else if (auth.jwtSecret) {
      this.key = createSecretKey(Buffer.from(auth.jwtSecret, 'utf8'));
    } else {
      throw new Error('caller JWT verification needs JWT_SECRET or JWT_JWKS_URI');
    }
    this.options = {
      algorithms: auth.jwksUri ? ['RS256', 'ES256'] : ['HS256'],
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
      const header = decodeProtectedHeader(token);
      if (KEY_REFERENCE_HEADERS.some((name) => name in header)) return undefined;
      const { payload } = await jwtVerify(token, this.key as KeyObject, this.options);
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return undefined;
      return callerFromClaims(payload);
    } catch {
      return undefined;
    }
  }
}

/** The bearer credential of an `Authorization` header, or undefined (each consumer checks its format). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}
