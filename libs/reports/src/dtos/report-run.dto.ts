import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  DELIVERY_OUTCOMES,
  type DeliveryOutcome,
  type ReportDeliveryEntity,
} from '../entities/report-delivery.entity';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  REPORT_RUN_STATUSES,
  REPORT_RUN_TRIGGERS,
  type ReportRunEntity,
  type ReportRunStatus,
  type ReportRunTrigger,
} from '../entities/report-run.entity';
import { REPORT_FORMATS, type ReportFormatName } from '../entities/report.entity';

export class DeliveryAttemptDto {
  attempt!: number;
  /** When the attempt started. */
  @ApiProperty({ format: 'date-time' })
  at!: string;
  /** The receiver's HTTP status (null: no answer — refused, timed out, unreachable). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 100, maximum: 599, nullable: true })
  statusCode!: number | null;
  durationMs!: number;
  @ApiProperty({ type: String, nullable: true, maxLength: 1000 })
  error!: string | null;
  @ApiProperty({ enum: DELIVERY_OUTCOMES })
  outcome!: DeliveryOutcome;
  /** When the next attempt is due, if one follows. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextRetryAt!: string | null;
}

export class RunDeliveryDto {
  /** `none`: the report has no webhook; `pending`: attempts go on. */
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;
  attempts!: number;
}

export class ReportRunDocumentDto {
  @ApiProperty({ enum: REPORT_FORMATS })
  format!: ReportFormatName;
  sizeBytes!: number;
}

export class ReportRunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  reportId!: string;
  @ApiProperty({ enum: REPORT_RUN_TRIGGERS })
  trigger!: ReportRunTrigger;
  /** `running` covers generation and delivery; `succeeded` means rendered and delivered. */
  @ApiProperty({ enum: REPORT_RUN_STATUSES })
  status!: ReportRunStatus;
  /** The due time it ran for (a manual run: when it was asked for). */
  @ApiProperty({ format: 'date-time' })
  dueAt!: string;
  @ApiProperty({ format: 'date-time' })
  periodStart!: string;
  /** Exclusive. */
  @ApiProperty({ format: 'date-time' })
  periodEnd!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  generatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 1000 })
  error!: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 100 })
  errorCode!: string | null;
  /** The report's narrative, once generated. */
  @ApiProperty({ type: String, nullable: true, maxLength: 100_000 })
  summary!: string | null;
  @ApiProperty({ type: RunDeliveryDto })
  delivery!: RunDeliveryDto;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** A run with its documents and every delivery attempt. */
export class ReportRunDetailDto extends ReportRunDto {
  @ApiProperty({ type: [ReportRunDocumentDto], maxItems: REPORT_FORMATS.length })
  documents!: ReportRunDocumentDto[];
  /** Every attempt, first first: at most the retry schedule's length plus one per redelivery. */
  @ApiProperty({ type: [DeliveryAttemptDto], maxItems: 10_000 })
  deliveries!: DeliveryAttemptDto[];
}

export class ReportRunPageDto {
  @ApiProperty({ type: [ReportRunDto], maxItems: 500 })
  data!: ReportRunDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 512 })
  nextCursor!: string | null;
}

export class RunRequestedDto {
  @ApiProperty({ format: 'uuid' })
  runId!: string;
}

export class DownloadQueryDto {
  /** Which document (default: the report's first format). */
  @ApiPropertyOptional({ enum: REPORT_FORMATS })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `format must be one of ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormatName;
}

export function mapReportRun(run: ReportRunEntity, attempts: number): ReportRunDto {
  return {
    id: run.id,
    reportId: run.reportId,
    trigger: run.trigger,
    status: run.status,
    dueAt: run.dueAt.toISOString(),
    periodStart: run.periodStart.toISOString(),
    periodEnd: run.periodEnd.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    generatedAt: run.generatedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
    errorCode: run.errorCode,
    summary: run.summary,
    delivery: { status: run.deliveryStatus, attempts },
    createdAt: run.createdAt.toISOString(),
  };
}

export function mapDeliveryAttempt(delivery: ReportDeliveryEntity): DeliveryAttemptDto {
  return {
    attempt: delivery.attempt,
    at: delivery.at.toISOString(),
    statusCode: delivery.statusCode,
    durationMs: delivery.durationMs,
    error: delivery.error,
    outcome: delivery.outcome,
    nextRetryAt: delivery.nextRetryAt?.toISOString() ?? null,
  };
}
