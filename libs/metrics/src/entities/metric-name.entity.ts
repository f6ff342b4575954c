import { OrganizationEntity } from '@app/tenancy';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * Per organization and name: how many metrics and the latest observation, kept in the
 * transaction of every write, so `GET /v1/metrics/names` reads a handful of rows rather
 * than grouping the whole metrics table.
 */
@Entity({ name: 'metric_names' })
export class MetricNameEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'bigint', transformer: { to: Number, from: Number } })
  count!: number;

  @Column({ name: 'last_observed_at', type: 'timestamptz' })
  lastObservedAt!: Date;
}
