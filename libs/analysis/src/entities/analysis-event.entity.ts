import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AnalysisEntity } from './analysis.entity';

export const ANALYSIS_EVENT_TYPES = [
  'status',
  'agent.started',
  'agent.finished',
  'completed',
  'failed',
] as const;
export type AnalysisEventType = (typeof ANALYSIS_EVENT_TYPES)[number];
/** The events after which nothing more happens to an analysis. */
export const FINAL_EVENTS: ReadonlySet<AnalysisEventType> = new Set(['completed', 'failed']);

/**
 * What happened to an analysis, in order: the log the SSE stream reads (from any
 * replica, and from where a reconnecting client left off: `id` is its event id).
 */
@Entity({ name: 'analysis_events' })
@Index('analysis_events_analysis_idx', ['analysisId', 'id'])
export class AnalysisEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'analysis_id', type: 'uuid' })
  analysisId!: string;

  @ManyToOne(() => AnalysisEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'analysis_id' })
  analysis?: AnalysisEntity;

  @Column({ type: 'text' })
  type!: AnalysisEventType;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @CreatedAtColumn()
  createdAt!: Date;
}
