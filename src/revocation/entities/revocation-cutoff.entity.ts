import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type RevocationScope = 'tenant' | 'dashboard';

/**
 * Every token of a tenant or dashboard issued before `cutoff` is revoked (tenant revoke,
 * dashboard deletion). Kept until the longest-lived token issued before it has expired.
 */
@Entity('revocation_cutoffs')
@Check('revocation_cutoffs_scope', `"scope" IN ('tenant', 'dashboard')`)
@Index('revocation_cutoffs_updated', ['updatedAt'])
export class RevocationCutoff {
  @PrimaryColumn({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @PrimaryColumn({ type: 'text' })
  scope: RevocationScope;

  /** Tenant id or provider dashboard id. */
  @PrimaryColumn({ name: 'scope_id', type: 'text' })
  scopeId: string;

  @Column({ type: 'timestamptz' })
  cutoff: Date;

  /** After this no token issued before the cutoff can still be valid. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
