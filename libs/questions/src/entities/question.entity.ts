import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { DatasetEntity } from '@app/datasets';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { QueryResult, StructuredQuery } from '../query/structured-query';

/**
 * A question asked of a dataset and its answer: the structured query it was read as, what
 * that returned, the sentence and chart made of it, and who planned it. Written once, after
 * the answer is complete; a refused or failed question stores nothing.
 */
@Entity({ name: 'questions' })
// Lists are one dataset's questions, newest first; a backward scan serves `DESC`.
@Index('questions_organization_dataset_time_idx', [
  'organizationId',
  'datasetId',
  'createdAt',
  'id',
])
export class QuestionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  /** Deleting a dataset deletes the questions asked of it (their results are its rows). */
  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id' })
  dataset?: DatasetEntity;

  @Column({ type: 'text' })
  question!: string;

  @Column({ type: 'text' })
  answer!: string;

  @Column({ type: 'jsonb' })
  query!: StructuredQuery;

  /** What the query returned: at most `QUERY_LIMITS.rows` (1,000) rows. */
  @Column({ type: 'jsonb' })
  result!: QueryResult;

  /** A Vega-Lite spec over `result`, or null when no chart fits it. */
  @Column({ type: 'jsonb', nullable: true })
  chart!: Record<string, unknown> | null;

  /** How the planner read each part of the question. */
  @Column({ type: 'jsonb' })
  readings!: string[];

  @Column({ name: 'model_provider', type: 'text' })
  modelProvider!: string;

  @Column({ name: 'model_name', type: 'text' })
  modelName!: string;

  /** The model's tool call that produced the query; null when no model call did (builtin). */
  @Column({ name: 'tool_call_id', type: 'text', nullable: true })
  toolCallId!: string | null;

  /** The model's token use for this question; all 0 for the builtin planner. */
  @Column({ type: 'jsonb' })
  usage!: { requests: number; inputTokens: number; outputTokens: number; totalTokens: number };

  /** From receiving the question to having its answer, in milliseconds. */
  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  /** Principal (user or API key id) that asked. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
