import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who wrote a metric: a client over the API, or an analysis agent through `record_metric`. */
export const METRIC_SOURCES = ['client', 'agent'] as const;
export type MetricSource = (typeof METRIC_SOURCES)[number];

/** Dimension values are strings, so `dim.<key>=<value>` filters and `groupBy` compare like with like. */
export type MetricDimensions = Record<string, string>;

/**
 * One observed number. Read by organization + name + time range (newest first, and
 * bucketed for series), by dataset or analysis, and by dimensions; the indexes follow:
 *
 * - `(organization_id, name, observed_at, id) INCLUDE (value)`: name + range pages, and
 *   series aggregate from the index alone (no heap visits once the table is vacuumed);
 * - `(organization_id, observed_at, id)`: everything newest first;
 * - partial `(organization_id, dataset_id | analysis_id, observed_at, id)`;
 * - GIN `dimensions jsonb_path_ops`: `dimensions @> '{"region":"eu"}'`.
 *
 * The INCLUDE and GIN indexes are beyond TypeORM's index model: the migration creates
 * them and `synchronize: false` keeps the drift check from fighting them.
 */
@Entity({ name: 'metrics' })
@Index('metrics_org_name_time_idx', { synchronize: false })
@Index('metrics_org_time_idx', ['organizationId', 'observedAt', 'id'])
@Index('metrics_org_dataset_time_idx', ['organizationId', 'datasetId', 'observedAt', 'id'], {
  where: '"dataset_id" IS NOT NULL',
})
@Index('metrics_org_analysis_time_idx', ['organizationId', 'analysisId', 'observedAt', 'id'], {
  where: '"analysis_id" IS NOT NULL',
})
@Index('metrics_dimensions_idx', { synchronize: false })
export class MetricEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  @Column({ type: 'jsonb' })
  dimensions!: MetricDimensions;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;

  @Column({ type: 'text' })
  source!: MetricSource;

  /** Not a foreign key: a metric outlives the dataset it was computed from. */
  @Column({ name: 'dataset_id', type: 'uuid', nullable: true })
  datasetId!: string | null;

  @Column({ name: 'analysis_id', type: 'uuid', nullable: true })
  analysisId!: string | null;

  /** For agent-written metrics: the agent and the tool call that produced the value. */
  @Column({ type: 'text', nullable: true })
  agent!: string | null;

  @Column({ name: 'tool_call_id', type: 'text', nullable: true })
  toolCallId!: string | null;

  /** Principal (user or API key id) whose request wrote it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
