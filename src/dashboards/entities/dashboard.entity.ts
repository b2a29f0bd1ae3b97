import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Tenant } from '../../tenants/entities/tenant.entity';
import { Workspace } from '../../workspaces/entities/workspace.entity';

export type DashboardStatus = 'pending' | 'active';

/**
 * The tenant → provider dashboard mapping (seed 000). One per tenant, enforced by a unique
 * constraint: a create first reserves the row (`pending`), then calls the provider, then
 * activates it, so concurrent creates for one tenant reach the provider once.
 */
@Entity('dashboards')
@Unique('dashboards_one_per_tenant', ['organizationId', 'tenantId'])
@Unique('dashboards_provider_id', ['dashboardId'])
@Check('dashboards_status', `"status" IN ('pending', 'active')`)
@Check('dashboards_active_complete', `"status" = 'pending' OR ("dashboard_id" IS NOT NULL AND "secret_hash" IS NOT NULL)`)
@Index('dashboards_workspace', ['organizationId', 'workspaceId'])
export class Dashboard {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'tenant_id', referencedColumnName: 'id' },
  ])
  tenant?: Tenant;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'workspace_id', referencedColumnName: 'id' },
  ])
  workspace?: Workspace;

  /** The provider's id; null while pending. Unique across the deployment. */
  @Column({ name: 'dashboard_id', type: 'text', nullable: true })
  dashboardId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', default: 'pending' })
  status: DashboardStatus;

  /** SHA-256 of the `ds_…` dashboard secret (Tokens API credential). */
  @Column({ name: 'secret_hash', type: 'text', nullable: true })
  secretHash: string | null;

  /** The caller (`sub`) who created it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
