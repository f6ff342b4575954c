import { type OrganizationId, OrganizationIdColumn } from '@app/tenancy';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportRunEntity } from './report-run.entity';

export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'gone', 'refused', 'abandoned'] as const;
/**
 * `delivered`: a 2xx; `retry`: another attempt follows (or followed); `gone`: a 410, the
 * webhook is disabled; `refused`: the address was not allowed; `abandoned`: the last
 * attempt failed.
 */
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One attempt to deliver a run's webhook, as it went. */
@Entity({ name: 'report_deliveries' })
@Index('report_deliveries_run_idx', ['runId', 'attempt'], { unique: true })
export class ReportDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => ReportRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: ReportRunEntity;

  /** 1 for the first attempt; redeliveries go on counting. */
  @Column({ type: 'integer' })
  attempt!: number;

  /** When the attempt started. */
  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text' })
  outcome!: DeliveryOutcome;

  /** When the next attempt is due, if one follows. */
  @Column({ name: 'next_retry_at', type: 'timestamptz', nullable: true })
  nextRetryAt!: Date | null;
}
