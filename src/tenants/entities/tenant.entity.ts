import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** An organization's own customer, keyed by (organization, the organization's tenant id). */
@Entity('tenants')
@Check('tenants_status', `"status" IN ('active', 'suspended')`)
export class Tenant {
  @PrimaryColumn({ name: 'organization_id', type: 'text' })
  organizationId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: 'active' })
  status: TenantStatus;

  /** Origins allowed to frame this tenant's embedded dashboards. */
  @Column({ name: 'allowed_origins', type: 'jsonb', default: () => "'[]'" })
  allowedOrigins: string[];

  /** Free-form JSON object (`any` values: TypeORM's partial-entity types reject `unknown`). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
