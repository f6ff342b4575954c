import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per organization and name: how many metrics and the latest observation, kept in the
 * transaction of every write, so `GET /v1/metrics/names` reads a handful of rows rather
 * than grouping the whole metrics table.
 */
@Entity({ name: 'metric_names' })
export class MetricNameEntity {
  @OrganizationIdColumn({ primary: true })
  organizationId!: OrganizationId;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'bigint', transformer: { to: Number, from: Number } })
  count!: number;

  @Column({ name: 'last_observed_at', type: 'timestamptz' })
  lastObservedAt!: Date;
}
