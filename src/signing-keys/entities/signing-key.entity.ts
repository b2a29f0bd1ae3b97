import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A key that signs Tessera's embed tokens (ES256, P-256). One is active; older ones stay
 * published in the JWKS until every token they signed has expired (`retire_after`).
 */
@Entity('signing_keys')
// At most one active (signing) key: instances that rotate at once cannot both win.
@Index('signing_keys_one_active', ['alg'], { unique: true, where: '"rotated_at" IS NULL' })
export class SigningKey {
  /** The JWS `kid`. */
  @PrimaryColumn({ type: 'text' })
  kid: string;

  @Column({ type: 'text', default: 'ES256' })
  alg: string;

  /** Public half as a JWK (published at /.well-known/jwks.json). */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, string>;

  /** Private half (PKCS#8 PEM), sealed with ENCRYPTION_KEY and bound to the kid. */
  @Column({ name: 'private_key_sealed', type: 'text' })
  privateKeySealed: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When it stopped signing (a newer key took over); null while active. */
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  /** After this, no token it signed can still be valid: it is no longer published or trusted. */
  @Column({ name: 'retire_after', type: 'timestamptz', nullable: true })
  retireAfter: Date | null;
}
