import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const END_USER_ROLES = ['VIEWER', 'POWER_USER'] as const;
export type EndUserRole = (typeof END_USER_ROLES)[number];

/** A tenant's person who views dashboards; created just in time by a project token. */
@Entity('end_users')
@Index('end_users_external_id', ['organizationId', 'workspaceId', 'externalId'], { unique: true, where: '"external_id" IS NOT NULL' })
@Index('end_users_tenant_email', ['organizationId', 'workspaceId', 'tenantId', 'email'], { unique: true, where: '"email" IS NOT NULL' })
@Check('end_users_role', `"role" IN ('VIEWER', 'POWER_USER')`)
@Check('end_users_identified', `"external_id" IS NOT NULL OR "email" IS NOT NULL`)
export class EndUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  /** The organization's own id for the person (`endUserId`). */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  /** Stored lower-cased. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  @Column({ type: 'text', default: 'VIEWER' })
  role: EndUserRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
