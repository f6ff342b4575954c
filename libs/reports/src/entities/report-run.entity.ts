import { type OrganizationId, OrganizationIdColumn } from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportEntity } from './report.entity';

export const REPORT_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ReportRunStatus = (typeof REPORT_RUN_STATUSES)[number];
export const REPORT_RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type ReportRunTrigger = (typeof REPORT_RUN_TRIGGERS)[number];
/** `none`: the report has no webhook; `pending`: attempts go on; the rest are final. */
export const DELIVERY_STATUSES = ['none', 'pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One run of a report: a due time of its schedule (unique per report, so however many
 * processes schedule it, it runs once) or a run asked for. `running` covers generation
 * and then delivery; `succeeded` means every document rendered and the webhook, if any,
 * took the delivery.
 */
@Entity({ name: 'report_runs' })
@Index('report_runs_report_time_idx', ['organizationId', 'reportId', 'createdAt', 'id'])
@Index('report_runs_organization_time_idx', ['organizationId', 'createdAt'])
@Index('report_runs_scheduled_due_idx', ['reportId', 'dueAt'], {
  unique: true,
  where: "trigger = 'schedule'",
})
@Index('report_runs_generating_heartbeat_idx', ['heartbeatAt'], {
  where: "status = 'running' AND generated_at IS NULL",
})
export class ReportRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  @ManyToOne(() => ReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: ReportEntity;

  @Column({ type: 'text' })
  trigger!: ReportRunTrigger;

  /** The due time it runs for (a manual run: when it was asked for). */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  /** Exclusive. */
  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column({ type: 'text' })
  status!: ReportRunStatus;

  /** Why it failed, in a sentence of ours. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  /** Generations started (a run whose worker died is generated again). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** Last sign of life of the process generating it. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  /** When its documents were stored (delivery may go on after). */
  @Column({ name: 'generated_at', type: 'timestamptz', nullable: true })
  generatedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The narrative of the generated report, for the webhook's `summary`. */
  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ name: 'delivery_status', type: 'text', default: 'none' })
  deliveryStatus!: DeliveryStatus;

  /** Who asked for a manual run (null: the schedule). */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
