import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const PROVIDERS = ['builtin', 'papermap'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

/**
 * A connection to an analytics provider (seed 002's `projectId` is its id). The provider's secret
 * key is sealed with ENCRYPTION_KEY; the project secret is stored only as a SHA-256 digest.
 */
@Entity('workspaces')
@Check('workspaces_provider', `"provider" IN ('builtin', 'papermap')`)
@Index('workspaces_id', ['id'])
export class Workspace {
  @PrimaryColumn({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  provider: ProviderKind;

  /** Null: the deployment's default (PAPERMAP_API_URL). */
  @Column({ name: 'api_url', type: 'text', nullable: true })
  apiUrl: string | null;

  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId: string | null;

  /** AES-256-GCM, bound to (organization, id); never returned or logged. */
  @Column({ name: 'secret_key_sealed', type: 'text', nullable: true })
  secretKeySealed: string | null;

  /** Null: the deployment's default (PAPERMAP_EMBED_URL). */
  @Column({ name: 'embed_url', type: 'text', nullable: true })
  embedUrl: string | null;

  @Column({ name: 'project_secret_hash', type: 'text' })
  projectSecretHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
