import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const REPORT_PERIODS = ['day', 'week', 'month', 'schedule'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const REPORT_CATCH_UPS = ['skip', 'latest', 'all'] as const;
export type ReportCatchUp = (typeof REPORT_CATCH_UPS)[number];
export const REPORT_FORMATS = ['pdf', 'html', 'csv', 'json'] as const;
export type ReportFormatName = (typeof REPORT_FORMATS)[number];
export const REPORT_AGGREGATES = ['sum', 'avg', 'min', 'max', 'count', 'last', 'p95'] as const;
export type ReportAggregate = (typeof REPORT_AGGREGATES)[number];

/** One metric a report covers: its name, an optional dimension filter, the headline statistic. */
export interface ReportMetricSpec {
  name: string;
  dimensions: Record<string, string>;
  aggregate: ReportAggregate;
}

/**
 * A report definition: which metrics, when (a 5-field cron in an IANA zone), over which
 * period, in which formats, and where its webhook goes. The scheduler's cursor
 * (`scheduledThrough`, `nextDueAt`) lives on the row, so a tick locks the reports it
 * schedules and no two processes schedule one report at once.
 */
@Entity({ name: 'reports' })
@Index('reports_organization_time_idx', ['organizationId', 'createdAt', 'id'])
@Index('reports_next_due_idx', ['nextDueAt'], { where: 'enabled' })
export class ReportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  metrics!: ReportMetricSpec[];

  /** Only metrics written from this dataset (null: every metric of the names). */
  @Column({ name: 'dataset_id', type: 'uuid', nullable: true })
  datasetId!: string | null;

  @Column({ type: 'text' })
  period!: ReportPeriod;

  /** 5-field cron, evaluated in `timezone`. */
  @Column({ type: 'text' })
  schedule!: string;

  @Column({ type: 'text' })
  timezone!: string;

  @Column({ name: 'catch_up', type: 'text' })
  catchUp!: ReportCatchUp;

  @Column({ type: 'text', array: true })
  formats!: ReportFormatName[];

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** Signs deliveries (Standard Webhooks `whsec_…`); shown once, at creation and rotation. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true })
  webhookSecret!: string | null;

  /** The secret before the last rotation, which also signs until `webhookPreviousSecretUntil`. */
  @Column({ name: 'webhook_previous_secret', type: 'text', nullable: true })
  webhookPreviousSecret!: string | null;

  @Column({ name: 'webhook_previous_secret_until', type: 'timestamptz', nullable: true })
  webhookPreviousSecretUntil!: Date | null;

  /** Set when the receiver answered 410 Gone: nothing is delivered until the URL is set again. */
  @Column({ name: 'webhook_disabled_at', type: 'timestamptz', nullable: true })
  webhookDisabledAt!: Date | null;

  /** Send the document itself (base64) in the webhook when it is under 5 MiB. */
  @Column({ name: 'attach_document', type: 'boolean', default: false })
  attachDocument!: boolean;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** The scheduler has created the runs of every due time up to here (exclusive of later ones). */
  @Column({ name: 'scheduled_through', type: 'timestamptz' })
  scheduledThrough!: Date;

  /** The first due time after `scheduledThrough` (null: the schedule never fires again). */
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt!: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
