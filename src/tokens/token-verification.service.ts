import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException } from '../common/errors/app.exception';
import { AppConfig } from '../config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { RevocationService } from '../revocation/revocation.service';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { InvalidationDto, TokenValidationDto } from './dto/validate-token.dto';
import { EmbedTokenClaims, TOKEN_AUDIENCE } from './embed-token';
import { InvalidTokenError, TokenExpiredError } from './tokens.errors';

const ALL_AUDIENCES = Object.values(TOKEN_AUDIENCE);
/** Verified tokens remembered per instance (a few MB at most). */
export const VERIFIED_CACHE_SIZE = 10_000;

/** Verification of Tessera embed tokens: signature, expiry, audience, issuer, revocation. */
@Injectable()
export class TokenVerificationService {
  private readonly verified = new Map<string, EmbedTokenClaims>();

  constructor(
    private readonly config: AppConfig,
    private readonly signingKeys: SigningKeysService,
    private readonly revocation: RevocationService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** The token's claims, or TokenExpiredError / InvalidTokenError (revoked included). */
  async verify(token: string, audiences: string[] = ALL_AUDIENCES): Promise<EmbedTokenClaims> {
    const claims = await this.verifySignature(token, audiences);
    if (this.revocation.isRevoked(revocable(claims))) throw new InvalidTokenError();
    return claims;
  }

  async validate(token: string | undefined): Promise<TokenValidationDto> {
    try {
      if (!token) throw new InvalidTokenError();
      const claims = await this.verify(token);
      this.metrics.tokenValidated('valid');
      return { valid: true, type: claims.typ, claims: claims as unknown as Record<string, unknown>, expiresAt: new Date(claims.exp * 1000).toISOString() };
    } catch (error) {
      // An unexpected failure (not a verdict on the token) is not counted.
      if (error instanceof AppException) this.metrics.tokenValidated(error instanceof TokenExpiredError ? 'expired' : 'invalid');
      this.audit.record({ organizationId: null, action: 'token.validation_failed', detail: { code: error instanceof AppException ? error.code : 'SERVER_ERROR' } });
      throw error;
    }
  }

  /** Revokes the token until it would have expired. Idempotent; an expired token needs nothing. */
  async invalidate(token: string | undefined): Promise<InvalidationDto> {
    if (!token) throw new InvalidTokenError();
    let claims: EmbedTokenClaims;
    try {
      claims = await this.verifySignature(token, ALL_AUDIENCES);
    } catch (error) {
      if (error instanceof TokenExpiredError) return { revoked: true, expiresAt: null };
      throw error;
    }
    await this.revocation.revokeToken(claims.org, claims.jti, new Date(claims.exp * 1000));
    this.metrics.tokenRevoked('token');
    this.audit.record({
      organizationId: claims.org,
      action: 'token.revoked',
      actor: `token:${claims.jti}`,
      tenantId: claims.tenantId,
      workspaceId: claims.projectId,
      dashboardId: claims.dashboardId,
      endUserId: claims.endUserId,
      jti: claims.jti,
    });
    return { revoked: true, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  /**
   * Signature, issuer, audience and expiry. An embed runtime validates the same token again and
   * again during a page view, so tokens whose signature checked out are remembered (bounded,
   * least recently used, until their expiry); revocation is still checked on every call.
   */
  private async verifySignature(token: string, audiences: string[]): Promise<EmbedTokenClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.exp * 1000 > Date.now() && audiences.includes(cached.aud)) {
      this.verified.delete(token);
      this.verified.set(token, cached);
      return cached;
    }
    const payload = await this.signingKeys.verify(token, { audiences, issuer: this.config.http.publicUrl });
    if (!isEmbedClaims(payload)) throw new InvalidTokenError();
    this.verified.set(token, payload);
    if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    return payload;
  }
}

function revocable(claims: EmbedTokenClaims): { org: string; jti: string; issuedAtMs: number; tenantId: string | null; dashboardId: string | null } {
  return { org: claims.org, jti: claims.jti, issuedAtMs: Math.round(claims.iat * 1000), tenantId: claims.tenantId, dashboardId: claims.dashboardId };
}

/** Signed by us, so this only guards against tokens of an older claim layout. */
function isEmbedClaims(payload: Record<string, unknown>): payload is EmbedTokenClaims & Record<string, unknown> {
  return (
    (payload.typ === 'dashboard' || payload.typ === 'project') &&
    typeof payload.org === 'string' &&
    typeof payload.jti === 'string' &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    typeof payload.projectId === 'string'
  );
}
