import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A key pair (`ak_…` id, `sk_…` secret) that another backend uses to call the built-in
 * provider's HMAC API for this organization. The secret is sealed, not hashed: verifying an
 * HMAC needs it. Revoked keys stay (revoked_at set) so that their ids are never reused.
 */
@Entity('api_keys')
@Index('api_keys_organization', ['organizationId'])
export class ApiKey {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** AES-256-GCM, bound to the key id. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
