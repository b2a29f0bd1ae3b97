import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which token, tenant or dashboard. Never holds a token or a secret. */
@Entity('audit_events')
@Index('audit_events_org_time', ['organizationId', 'createdAt'])
@Index('audit_events_org_tenant_time', ['organizationId', 'tenantId', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null when the organization could not be determined (e.g. a garbage token). */
  @Column({ name: 'organization_id', type: 'text', nullable: true })
  organizationId: string | null;

  /** e.g. `token.issued`, `token.validation_failed`, `token.revoked`, `tenant.tokens_revoked`. */
  @Column({ type: 'text' })
  action: string;

  /** Who acted: `caller:<sub>`, `dashboard-secret`, `project-secret`, `token:<jti>`. */
  @Column({ type: 'text', nullable: true })
  actor: string | null;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ name: 'workspace_id', type: 'text', nullable: true })
  workspaceId: string | null;

  @Column({ name: 'dashboard_id', type: 'text', nullable: true })
  dashboardId: string | null;

  @Column({ name: 'end_user_id', type: 'text', nullable: true })
  endUserId: string | null;

  @Column({ type: 'text', nullable: true })
  jti: string | null;

  /** Small, secret-free facts (token type, failure code…). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
