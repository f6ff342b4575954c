import {
  ApiProperty,
  ApiPropertyOptional,
  type ApiPropertyOptions,
  getSchemaPath,
  OmitType,
  PartialType,
} from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  REPORT_AGGREGATES,
  REPORT_CATCH_UPS,
  REPORT_FORMATS,
  REPORT_PERIODS,
  type ReportAggregate,
  type ReportCatchUp,
  type ReportEntity,
  type ReportFormatName,
  type ReportPeriod,
} from '../entities/report.entity';

/** Most metrics one report covers. */
export const MAX_REPORT_METRICS = 50;
/** Most dimension filters on one report metric. */
export const MAX_REPORT_DIMENSIONS = 10;

/** A metric of a report: its name, an optional dimension filter, the statistic its change is about. */
export class ReportMetricDto {
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name!: string;

  /** Only metrics whose dimensions include all of these (`{"region": "eu"}`). */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    maxProperties: MAX_REPORT_DIMENSIONS,
  })
  @IsOptional()
  @IsObject({ message: 'dimensions must be an object of strings' })
  dimensions?: Record<string, string>;

  /** The statistic the headline and the change are about (default `avg`). */
  @ApiPropertyOptional({ enum: REPORT_AGGREGATES, default: 'avg' })
  @IsOptional()
  @IsIn(REPORT_AGGREGATES, { message: `aggregate must be one of ${REPORT_AGGREGATES.join(', ')}` })
  aggregate?: ReportAggregate;
}

/** A metric given by its name alone is a {@link ReportMetricDto} with only `name`. */
function toMetricDtos({ obj }: { obj: { metrics?: unknown } }): unknown {
  const metrics = obj.metrics;
  if (!Array.isArray(metrics)) return metrics;
  return metrics.map((metric: unknown) => {
    if (typeof metric === 'string') return plainToInstance(ReportMetricDto, { name: metric });
    if (metric !== null && typeof metric === 'object' && !Array.isArray(metric)) {
      return plainToInstance(ReportMetricDto, metric);
    }
    return metric;
  });
}

const METRICS_SCHEMA: ApiPropertyOptions = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_REPORT_METRICS,
  items: {
    oneOf: [{ type: 'string', maxLength: 200 }, { $ref: getSchemaPath(ReportMetricDto) }],
  },
};

export class CreateReportDto {
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name!: string;

  /** Metric names, or `{name, dimensions?, aggregate?}` objects. */
  @ApiProperty(METRICS_SCHEMA)
  @IsArray({ message: 'metrics must be an array' })
  @ArrayMinSize(1, { message: 'metrics must name at least one metric' })
  @ArrayMaxSize(MAX_REPORT_METRICS, { message: `metrics must name at most ${MAX_REPORT_METRICS}` })
  @ValidateNested({ each: true, message: 'metrics must hold names or metric objects' })
  @Transform(toMetricDtos)
  metrics!: ReportMetricDto[];

  /** Only metrics written from this dataset. */
  @IsOptional()
  @IsUUID('all', { message: 'datasetId must be a UUID' })
  datasetId?: string;

  /**
   * What each run covers: the last complete `day`, ISO `week` or `month` before the due time
   * in the report's zone, or `schedule`: the time since the previous due time.
   */
  @ApiPropertyOptional({ enum: REPORT_PERIODS, default: 'day' })
  @IsOptional()
  @IsIn(REPORT_PERIODS, { message: `period must be one of ${REPORT_PERIODS.join(', ')}` })
  period?: ReportPeriod;

  /** 5-field cron (minute hour day-of-month month day-of-week), e.g. `0 8 * * 1`. */
  @IsString({ message: 'schedule must be a string' })
  @MaxLength(200, { message: 'schedule must be at most 200 characters' })
  schedule!: string;

  /** IANA time zone the schedule and the periods are read in, e.g. `Europe/Berlin`. */
  @IsString({ message: 'timezone must be a string' })
  @MaxLength(100, { message: 'timezone must be at most 100 characters' })
  timezone!: string;

  /**
   * After downtime: `skip` missed due times, run the `latest` of them once (the default), or
   * run `all` of them (at most REPORT_CATCH_UP_LIMIT).
   */
  @ApiPropertyOptional({ enum: REPORT_CATCH_UPS, default: 'latest' })
  @IsOptional()
  @IsIn(REPORT_CATCH_UPS, { message: `catchUp must be one of ${REPORT_CATCH_UPS.join(', ')}` })
  catchUp?: ReportCatchUp;

  /** One format (the `formats` list is the longer way to say it). */
  @ApiPropertyOptional({ enum: REPORT_FORMATS })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `format must be one of ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormatName;

  /** The documents each run makes (default `["pdf"]`). */
  @ApiPropertyOptional({ enum: REPORT_FORMATS, isArray: true, minItems: 1, maxItems: 4 })
  @IsOptional()
  @IsArray({ message: 'formats must be an array' })
  @ArrayMinSize(1, { message: 'formats must name at least one format' })
  @ArrayUnique({ message: 'formats must not repeat a format' })
  @IsIn(REPORT_FORMATS, {
    each: true,
    message: `formats must be among ${REPORT_FORMATS.join(', ')}`,
  })
  formats?: ReportFormatName[];

  /** Where each run's `report.run.succeeded` webhook goes (Standard Webhooks, signed). */
  @ApiPropertyOptional({ type: 'string', format: 'uri', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: 'webhookUrl must be a URL' })
  @MaxLength(2000, { message: 'webhookUrl must be at most 2000 characters' })
  webhookUrl?: string;

  /** Put the documents in the webhook (base64) when each is under 5 MiB, not only links. */
  @IsOptional()
  @IsBoolean({ message: 'attachDocument must be true or false' })
  attachDocument?: boolean;

  /** A disabled report keeps its definition and history but is not scheduled (default true). */
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

/** Every field optional; `webhookUrl: null` removes the webhook, `datasetId: null` the dataset. */
export class UpdateReportDto extends PartialType(
  OmitType(CreateReportDto, ['format', 'datasetId', 'webhookUrl'] as const),
) {
  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'datasetId must be a UUID' })
  datasetId?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uri', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString({ message: 'webhookUrl must be a URL' })
  @MaxLength(2000, { message: 'webhookUrl must be at most 2000 characters' })
  webhookUrl?: string | null;
}

export class ReportWebhookDto {
  @ApiProperty({ format: 'uri', maxLength: 2000 })
  url!: string;
  /** False after the receiver answered 410 Gone; setting the URL again enables it. */
  enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt!: string | null;
  /** Until when the secret before the last rotation also signs (null: no rotation pending). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  previousSecretValidUntil!: string | null;
}

export class ReportResponseMetricDto {
  @ApiProperty({ maxLength: 200 })
  name!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    maxProperties: MAX_REPORT_DIMENSIONS,
  })
  dimensions!: Record<string, string>;
  @ApiProperty({ enum: REPORT_AGGREGATES })
  aggregate!: ReportAggregate;
}

export class ReportDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ maxLength: 200 })
  name!: string;
  @ApiProperty({ type: [ReportResponseMetricDto], maxItems: MAX_REPORT_METRICS })
  metrics!: ReportResponseMetricDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  datasetId!: string | null;
  @ApiProperty({ enum: REPORT_PERIODS })
  period!: ReportPeriod;
  @ApiProperty({ maxLength: 200 })
  schedule!: string;
  @ApiProperty({ maxLength: 100 })
  timezone!: string;
  @ApiProperty({ enum: REPORT_CATCH_UPS })
  catchUp!: ReportCatchUp;
  @ApiProperty({ enum: REPORT_FORMATS, isArray: true, maxItems: REPORT_FORMATS.length })
  formats!: ReportFormatName[];
  @ApiProperty({ type: ReportWebhookDto, nullable: true })
  webhook!: ReportWebhookDto | null;
  attachDocument!: boolean;
  enabled!: boolean;
  /** The next five due times, in the report's zone with its offset (`2027-03-29T08:00:00+02:00`). */
  @ApiProperty({
    type: [String],
    maxItems: 5,
    items: { type: 'string', format: 'date-time', maxLength: 32 },
  })
  nextRuns!: string[];
  /** The user or API key that defined it. */
  @ApiProperty({ maxLength: 100 })
  createdBy!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** A report as created (or changed, or its secret rotated), with the webhook secret shown once. */
export class ReportWithSecretDto extends ReportDto {
  /** `whsec_…`: verifies the webhook's signatures. Shown only now; store it. */
  @ApiPropertyOptional({ maxLength: 100 })
  webhookSecret?: string;
}

export class ReportPageDto {
  @ApiProperty({ type: [ReportDto], maxItems: 500 })
  data!: ReportDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 512 })
  nextCursor!: string | null;
}

export function mapReport(report: ReportEntity, nextRuns: string[]): ReportDto {
  return {
    id: report.id,
    name: report.name,
    metrics: report.metrics.map(({ name, dimensions, aggregate }) => ({
      name,
      dimensions,
      aggregate,
    })),
    datasetId: report.datasetId,
    period: report.period,
    schedule: report.schedule,
    timezone: report.timezone,
    catchUp: report.catchUp,
    formats: report.formats,
    webhook:
      report.webhookUrl === null
        ? null
        : {
            url: report.webhookUrl,
            enabled: report.webhookDisabledAt === null,
            disabledAt: report.webhookDisabledAt?.toISOString() ?? null,
            previousSecretValidUntil:
              report.webhookPreviousSecretUntil !== null &&
              report.webhookPreviousSecretUntil.getTime() > Date.now()
                ? report.webhookPreviousSecretUntil.toISOString()
                : null,
          },
    attachDocument: report.attachDocument,
    enabled: report.enabled,
    nextRuns,
    createdBy: report.createdBy,
    createdAt: report.createdAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
  };
}
