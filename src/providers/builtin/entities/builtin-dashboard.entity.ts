import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Workspace } from '../../../workspaces/entities/workspace.entity';

/** A dashboard hosted by Tessera itself (the `builtin` provider). */
@Entity('builtin_dashboards')
@Index('builtin_dashboards_workspace', ['organizationId', 'workspaceId'])
export class BuiltinDashboard {
  /** `dash_` + 128 random bits: unguessable and unique across the deployment. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'workspace_id', referencedColumnName: 'id' },
  ])
  workspace?: Workspace;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
