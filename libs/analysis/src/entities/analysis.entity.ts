import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import type { MetricDimensions, SeriesAggregate, SeriesInterval } from '@app/metrics';
import type { AnalysisErrorCode } from '../orchestration/analysis-errors';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ANALYSIS_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

/**
 * A metric's series as analysed: the request's choices with the window and interval
 * resolved (what `GET /v1/metrics/series` would answer for them).
 */
export interface AnalysisMetricInput {
  name: string;
  from: string;
  to: string;
  interval: SeriesInterval;
  agg: SeriesAggregate;
  groupBy?: string;
  dimensions?: MetricDimensions;
}

/** What was analysed, as the request gave it (records and metrics are stored as a dataset first). */
export type AnalysisInput =
  | { kind: 'dataset'; datasetId: string }
  | { kind: 'records'; datasetId: string; records: number }
  | { kind: 'metric'; datasetId: string; records: number; metric: AnalysisMetricInput }
  | { kind: 'text'; text: string };

/**
 * One analysis: its input and options, the model and SDK that ran it (enough to replay
 * it), its status, per-agent runs and its result. Inserted together with its job.
 */
@Entity({ name: 'analyses' })
@Index('analyses_organization_time_idx', ['organizationId', 'createdAt', 'id'])
@Index('analyses_running_heartbeat_idx', ['heartbeatAt'], { where: "status = 'running'" })
export class AnalysisEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  status!: AnalysisStatus;

  @Column({ type: 'jsonb' })
  input!: AnalysisInput;

  /** The dataset analysed (dataset and records input), for filtering. */
  @Column({ name: 'dataset_id', type: 'uuid', nullable: true })
  datasetId!: string | null;

  /** Agents asked for (null: all that apply) and the question, as sent. */
  @Column({ type: 'jsonb', nullable: true })
  agents!: string[] | null;

  @Column({ type: 'text', nullable: true })
  question!: string | null;

  /** Most anomalies reported per column, as sent (null: the default). */
  @Column({ name: 'max_anomalies', type: 'integer', nullable: true })
  maxAnomalies!: number | null;

  /** sha256 of the input and options: two analyses with the same hash had the same input. */
  @Column({ name: 'input_hash', type: 'text' })
  inputHash!: string;

  @Column({ name: 'model_provider', type: 'text' })
  modelProvider!: string;

  @Column({ name: 'model_name', type: 'text' })
  modelName!: string;

  @Column({ name: 'sdk_version', type: 'text' })
  sdkVersion!: string;

  /** Per-agent runs: name, status, times, usage, error. */
  @Column({ name: 'agent_runs', type: 'jsonb', nullable: true })
  agentRuns!: unknown[] | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  /** Why it failed or was cancelled, in a sentence of ours (never a driver's message). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Why it failed or was cancelled, as a code (docs/analyses.md). */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: AnalysisErrorCode | null;

  /** The analysis this one replays, if any. */
  @Column({ name: 'replay_of', type: 'uuid', nullable: true })
  replayOf!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /**
   * Last sign of life of the process running it: a running analysis whose heartbeat is
   * stale lost its worker and is retried (ANALYSIS_STALE_SECONDS).
   */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;
}
