import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { InjectLogger, Logger } from '../common/logging/logger';
import { isUniqueViolation } from '../database/database-errors';
import { InvalidTokenError, TokenExpiredError } from '../tokens/tokens.errors';
import { CompactJws, decodePayload, hasValidSignature, parseCompact, signCompact } from '../common/crypto/compact-jws';
import { SigningKey } from './entities/signing-key.entity';
import { KeyMaterial, prepareKey, PublishedJwk, SIGNING_ALG } from './key-material';
import { rotateSigningKey } from './key-rotation';

/** DI token for the rotation age in days (`SIGNING_KEY_ROTATION_DAYS`, default 30). */
export const SIGNING_KEY_ROTATION_DAYS = Symbol('SIGNING_KEY_ROTATION_DAYS');

/**
 * Every minute: pick up rotations made elsewhere (another instance, `npm run keys:rotate`) and
 * rotate by age. An instance thus signs with a rotated key for at most a minute, well inside the
 * five minutes of slack in `retire_after`.
 */
const REFRESH_INTERVAL_MS = 60_000;
/** An unknown `kid` reloads the keys at most this often, so forged kids cannot flood the database. */
const UNKNOWN_KID_RELOAD_MS = 1_000;
const CLOCK_SKEW_SECONDS = 5;
/** Header parameters that would let a token choose its own key, or demand extensions we ignore. */
const REFUSED_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];

export interface VerifyOptions {
  /** Accepted audiences; the token's `aud` (a string or a list) must contain one of them. */
  audiences: string[];
  issuer: string;
}

export interface Jwks {
  keys: PublishedJwk[];
}

interface TrustedKey {
  material: KeyMaterial;
  /** Epoch ms; Infinity while the key is active. */
  retireAfter: number;
}

interface KeyState {
  /** The active row, whether or not this instance can open it (its age decides rotation). */
  active?: { kid: string; createdAt: Date };
  /** The active key, when it opened with this instance's ENCRYPTION_KEY. */
  signer?: KeyMaterial;
  /** Active and rotated-but-not-retired keys that opened and checked out, newest first. */
  trusted: Map<string, TrustedKey>;
}

/**
 * Tessera's token signing keys (ES256): creates and rotates them, signs and verifies compact JWS,
 * publishes the JWKS. Keys are read from the database and kept in memory as prepared KeyObjects.
 */
@Injectable()
export class SigningKeysService implements OnApplicationBootstrap, OnModuleDestroy {
  private state: KeyState = { trusted: new Map() };
  /** Opened keys by kid, so a key is decrypted and parsed once per process. */
  private readonly prepared = new Map<string, KeyMaterial>();
  /** Keys that did not open or match (logged once each). */
  private readonly unusable = new Set<string>();
  private reloading?: Promise<void>;
  private refreshing?: Promise<void>;
  private lastReloadAt = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    private readonly box: SecretBox,
    @InjectLogger() private readonly logger: Logger,
    @Inject(SIGNING_KEY_ROTATION_DAYS) private readonly rotationDays: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.error({ err: error }, 'signing key refresh failed'));
    }, REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Reloads the keys, then creates the first key or rotates the active one once it is due. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Reads the keys from the database (concurrent callers share one read). */
  reload(): Promise<void> {
    this.reloading ??= this.reloadOnce().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Makes a new key active now; the previous one stays trusted for the overlap. Returns its kid. */
  async rotate(): Promise<string> {
    let kid: string | null = null;
    try {
      kid = await rotateSigningKey(this.dataSource, this.box);
      this.logger.info({ kid }, 'signing key rotated');
    } catch (error) {
      // Another instance rotated at the same moment: its new key is just as new.
      if (!isUniqueViolation(error)) throw error;
    }
    await this.reload();
    const active = kid ?? this.state.active?.kid;
    if (!active) throw new Error('no active signing key after rotation');
    return active;
  }

  /** A compact JWS of `payload` (complete: nothing is added) with the active key. */
  async sign(payload: Record<string, unknown>): Promise<string> {
    return this.signJson(JSON.stringify(payload));
  }

  /** As sign(), for claims the caller has already serialized (e.g. to check their size): no second JSON.stringify. */
  async signJson(payloadJson: string): Promise<string> {
    if (!this.state.signer) await this.refresh();
    const signer = this.state.signer;
    if (!signer) throw new Error('no usable signing key: the active key does not open with this ENCRYPTION_KEY');
    return signCompact(signer.headerPart, payloadJson, signer.privateKey);
  }

  /**
   * The claims of a token signed by a trusted key for one of `audiences` and `issuer`. Throws
   * TokenExpiredError for a genuine token past `exp`, InvalidTokenError for anything else wrong,
   * and nothing else.
   */
  async verify(token: string, options: VerifyOptions): Promise<Record<string, unknown>> {
    try {
      const jws = parseCompact(token);
      if (!jws || !acceptableHeader(jws.header)) throw new InvalidTokenError();
      const key = await this.trustedKey(jws.header.kid as string);
      if (!key || !hasValidSignature(jws, key.publicKey)) throw new InvalidTokenError();
      return checkClaims(jws, options);
    } catch (error) {
      if (error instanceof InvalidTokenError || error instanceof TokenExpiredError) throw error;
      throw new InvalidTokenError();
    }
  }

  /** The JWK Set: the active key and rotated keys that are not retired yet, newest first. */
  jwks(): Jwks {
    const now = Date.now();
    return { keys: [...this.state.trusted.values()].filter((k) => k.retireAfter > now).map((k) => k.material.jwk) };
  }

  private async trustedKey(kid: string): Promise<KeyMaterial | undefined> {
    let entry = this.state.trusted.get(kid);
    // Perhaps another instance rotated a moment ago: join a reload under way, or start one if allowed.
    const reloading = entry ? undefined : (this.reloading ?? (Date.now() - this.lastReloadAt >= UNKNOWN_KID_RELOAD_MS ? this.reload() : undefined));
    if (reloading) {
      await reloading.catch((error: unknown) => this.logger.warn({ err: error }, 'signing key reload failed'));
      entry = this.state.trusted.get(kid);
    }
    return entry && entry.retireAfter > Date.now() ? entry.material : undefined;
  }

  private async refreshOnce(): Promise<void> {
    await this.reload();
    const active = this.state.active;
    if (active && active.createdAt.getTime() > Date.now() - this.rotationDays * 86_400_000) return;
    try {
      // Decided again in the transaction: another instance may have rotated since the read.
      const kid = await rotateSigningKey(this.dataSource, this.box, this.rotationDays);
      if (kid) this.logger.info({ kid, replaced: active?.kid ?? null }, active ? 'signing key rotated by age' : 'signing key created');
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    await this.reload();
  }

  private async reloadOnce(): Promise<void> {
    this.lastReloadAt = Date.now();
    const rows = await this.keys
      .createQueryBuilder('key')
      .where('key.retire_after IS NULL OR key.retire_after > now()')
      .orderBy('key.created_at', 'DESC')
      .getMany();
    const next: KeyState = { trusted: new Map() };
    for (const row of rows) {
      const active = row.rotatedAt === null;
      if (active) next.active = { kid: row.kid, createdAt: row.createdAt };
      const material = this.open(row);
      if (!material) continue;
      if (active) next.signer = material;
      next.trusted.set(row.kid, { material, retireAfter: row.retireAfter?.getTime() ?? Infinity });
    }
    // Forget keys that are gone (retired, or deleted).
    const present = new Set(rows.map((r) => r.kid));
    for (const kid of this.prepared.keys()) if (!present.has(kid)) this.prepared.delete(kid);
    for (const kid of this.unusable) if (!present.has(kid)) this.unusable.delete(kid);
    this.state = next;
  }

  private open(row: SigningKey): KeyMaterial | undefined {
    const known = this.prepared.get(row.kid);
    if (known || this.unusable.has(row.kid)) return known;
    try {
      const material = prepareKey(row, this.box);
      this.prepared.set(row.kid, material);
      return material;
    } catch (error) {
      this.unusable.add(row.kid);
      this.logger.error(
        { kid: row.kid, reason: error instanceof Error ? error.message : String(error) },
        'signing key does not open with this ENCRYPTION_KEY or is inconsistent; it is not trusted',
      );
      return undefined;
    }
  }
}

function acceptableHeader(header: Record<string, unknown>): boolean {
  return (
    header.alg === SIGNING_ALG &&
    typeof header.kid === 'string' &&
    header.kid.length > 0 &&
    !REFUSED_HEADERS.some((name) => Object.hasOwn(header, name))
  );
}

/** Claims of a token whose signature checked out; expiry is judged last. */
function checkClaims(jws: CompactJws, { audiences, issuer }: VerifyOptions): Record<string, unknown> {
  const claims = decodePayload(jws);
  if (!claims) throw new InvalidTokenError();
  const { exp, iat, nbf, jti, iss, aud } = claims;
  if (!isNumericDate(exp) || !isNumericDate(iat) || typeof jti !== 'string' || jti.length === 0) throw new InvalidTokenError();
  if (nbf !== undefined && !isNumericDate(nbf)) throw new InvalidTokenError();
  if (typeof iss !== 'string' || iss !== issuer) throw new InvalidTokenError();
  const tokenAudiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!tokenAudiences.some((a) => typeof a === 'string' && audiences.includes(a))) throw new InvalidTokenError();
  const now = Date.now() / 1000;
  // A token from the future (beyond skew) is not ours: we stamp iat and nbf at signing.
  if ((nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS) || iat > now + CLOCK_SKEW_SECONDS) throw new InvalidTokenError();
  if (exp <= now - CLOCK_SKEW_SECONDS) throw new TokenExpiredError();
  return claims;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
