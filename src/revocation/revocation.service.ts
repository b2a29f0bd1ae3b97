import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, Repository } from 'typeorm';
import { InjectLogger, Logger } from '../common/logging/logger';
import { RedisService } from '../redis/redis.service';
import { RevocationCutoff, RevocationScope } from './entities/revocation-cutoff.entity';
import { RevokedToken } from './entities/revoked-token.entity';

/** Longest possible embed-token lifetime (24 h) plus clock skew: how long a cutoff must be kept. */
export const MAX_TOKEN_LIFETIME_MS = 24 * 3_600_000 + 5 * 60_000;
/** How often other instances' revocations are picked up from PostgreSQL. */
export const REVOCATION_SYNC_MS = 500;
/** Re-read this much before the newest row seen: a transaction that began earlier may commit later. */
const SYNC_OVERLAP_MS = 5_000;
/** Redis channel that carries revocations to the other instances at once. */
export const REVOCATION_CHANNEL = 'tessera:revocations';

type RevocationMessage =
  | { kind: 'jti'; org: string; jti: string; expiresAt: number }
  | { kind: 'cutoff'; org: string; scope: RevocationScope; scopeId: string; cutoff: number };

/** What a revocation check needs from a verified token. */
export interface RevocableToken {
  org: string;
  jti: string;
  /** Issued-at in milliseconds. */
  issuedAtMs: number;
  tenantId: string | null;
  dashboardId: string | null;
}

/**
 * Revocation by jti and by tenant/dashboard cutoffs (every token issued before). PostgreSQL is
 * the record; this instance keeps the live set in memory — loaded at start (so a cold instance
 * refuses on first sight), updated at once for its own revocations and every 500 ms for other
 * instances' — so that the check on the hot path is two map lookups.
 */
@Injectable()
export class RevocationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly revokedJtis = new Map<string, number>();
  private readonly cutoffs = new Map<string, number>();
  private lastJtiSeen = new Date(0);
  private lastCutoffSeen = new Date(0);
  private timer?: NodeJS.Timeout;
  private syncing = false;

  constructor(
    @InjectRepository(RevokedToken) private readonly revoked: Repository<RevokedToken>,
    @InjectRepository(RevocationCutoff) private readonly cutoffRows: Repository<RevocationCutoff>,
    @InjectLogger() private readonly logger: Logger,
    private readonly redis: RedisService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.redis.subscribe(REVOCATION_CHANNEL, (message) => this.apply(message));
    await this.sync();
    this.timer = setInterval(() => void this.sync(), REVOCATION_SYNC_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  isRevoked(token: RevocableToken): boolean {
    if (this.revokedJtis.has(token.jti)) return true;
    const tenantCutoff = token.tenantId ? this.cutoffs.get(key(token.org, 'tenant', token.tenantId)) : undefined;
    if (tenantCutoff !== undefined && token.issuedAtMs <= tenantCutoff) return true;
    const dashboardCutoff = token.dashboardId ? this.cutoffs.get(key(token.org, 'dashboard', token.dashboardId)) : undefined;
    return dashboardCutoff !== undefined && token.issuedAtMs <= dashboardCutoff;
  }

  /** Idempotent. */
  async revokeToken(org: string, jti: string, expiresAt: Date): Promise<void> {
    await this.revoked.createQueryBuilder().insert().values({ jti, organizationId: org, expiresAt }).orIgnore().execute();
    this.revokedJtis.set(jti, expiresAt.getTime());
    await this.broadcast({ kind: 'jti', org, jti, expiresAt: expiresAt.getTime() });
  }

  /** Every token of the tenant or dashboard issued until now stops working. Returns the cutoff. */
  async revokeScope(org: string, scope: RevocationScope, scopeId: string): Promise<Date> {
    const cutoff = new Date();
    await this.cutoffRows.upsert(
      { organizationId: org, scope, scopeId, cutoff, expiresAt: new Date(cutoff.getTime() + MAX_TOKEN_LIFETIME_MS) },
      ['organizationId', 'scope', 'scopeId'],
    );
    this.cutoffs.set(key(org, scope, scopeId), cutoff.getTime());
    await this.broadcast({ kind: 'cutoff', org, scope, scopeId, cutoff: cutoff.getTime() });
    return cutoff;
  }

  /** Pulls revocations made since the last sync (by any instance) and forgets expired ones. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const now = new Date();
      const jtis = await this.revoked.find({ where: { createdAt: MoreThan(overlap(this.lastJtiSeen)), expiresAt: MoreThan(now) }, order: { createdAt: 'ASC' } });
      for (const row of jtis) {
        this.revokedJtis.set(row.jti, row.expiresAt.getTime());
        this.lastJtiSeen = row.createdAt;
      }
      const cutoffs = await this.cutoffRows.find({ where: { updatedAt: MoreThan(overlap(this.lastCutoffSeen)) }, order: { updatedAt: 'ASC' } });
      for (const row of cutoffs) {
        const k = key(row.organizationId, row.scope, row.scopeId);
        this.cutoffs.set(k, Math.max(this.cutoffs.get(k) ?? 0, row.cutoff.getTime()));
        this.lastCutoffSeen = row.updatedAt;
      }
      this.forgetExpired(now);
    } catch (error) {
      // The in-memory set stays in force; the next sync catches up.
      this.logger.warn({ reason: (error as { code?: string }).code ?? (error as Error).name }, 'revocation sync failed');
    } finally {
      this.syncing = false;
    }
  }

  /** Deletes rows no token can need any more (run occasionally, cheap). */
  async purgeExpired(): Promise<void> {
    const now = new Date();
    await this.revoked.delete({ expiresAt: LessThan(now) });
    await this.cutoffRows.delete({ expiresAt: LessThan(now) });
  }

  private broadcast(message: RevocationMessage): Promise<void> {
    return this.redis.publish(REVOCATION_CHANNEL, JSON.stringify(message));
  }

  /** A revocation another instance made; a malformed message is ignored (PostgreSQL polling still has it). */
  private apply(raw: string): void {
    try {
      const message = JSON.parse(raw) as RevocationMessage;
      if (message.kind === 'jti' && typeof message.jti === 'string' && typeof message.expiresAt === 'number') {
        this.revokedJtis.set(message.jti, message.expiresAt);
      } else if (message.kind === 'cutoff' && (message.scope === 'tenant' || message.scope === 'dashboard') && typeof message.cutoff === 'number') {
        const k = key(message.org, message.scope, message.scopeId);
        this.cutoffs.set(k, Math.max(this.cutoffs.get(k) ?? 0, message.cutoff));
      }
    } catch {
      // ignore
    }
  }

  private forgetExpired(now: Date): void {
    for (const [jti, expiresAt] of this.revokedJtis) if (expiresAt < now.getTime()) this.revokedJtis.delete(jti);
    for (const [k, cutoff] of this.cutoffs) if (cutoff + MAX_TOKEN_LIFETIME_MS < now.getTime()) this.cutoffs.delete(k);
  }
}

function overlap(since: Date): Date {
  return new Date(since.getTime() - SYNC_OVERLAP_MS);
}

function key(org: string, scope: RevocationScope, scopeId: string): string {
  return `${org}\u0000${scope}\u0000${scopeId}`;
}
