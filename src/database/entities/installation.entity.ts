import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The one row that identifies this Tessera installation (its database, not its process):
 * created on first start, so its id and first-start time survive restarts and upgrades.
 */
@Entity('installation')
@Check('installation_singleton', '"singleton"')
export class Installation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always true; unique, so a second row cannot exist. */
  @Column({ type: 'boolean', default: true, unique: true })
  singleton: boolean;

  /** Release that created the row, for support questions. */
  @Column({ type: 'text', name: 'created_by_version' })
  createdByVersion: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
