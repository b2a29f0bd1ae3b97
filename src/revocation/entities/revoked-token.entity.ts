import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An invalidated token, by jti, kept until it would have expired anyway. */
@Entity('revoked_tokens')
@Index('revoked_tokens_created', ['createdAt'])
export class RevokedToken {
  @PrimaryColumn({ type: 'text' })
  jti: string;

  @Column({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
