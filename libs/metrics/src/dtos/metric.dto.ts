import { IsWholeNumber, PageQueryDto } from '@app/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import {
  METRIC_SOURCES,
  type MetricDimensions,
  type MetricSource,
} from '../entities/metric.entity';
import { isDimensionKey } from '../input/metric-input';
import {
  SERIES_AGGREGATES,
  SERIES_INTERVALS,
  type MetricNameRow,
  type MetricRow,
  type SeriesAggregate,
  type SeriesInterval,
} from '../repositories/metric-queries';
import { SERIES_DEFAULT_GROUPS, SERIES_MAX_GROUPS } from '../series/series-window';

/** `dim.<key>=<value>` filters, gathered into one object by the query string parser. */
function IsDimensionFilter(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDimensionFilter',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([key, text]) => isDimensionKey(key) && typeof text === 'string' && text.length <= 200,
          ),
        defaultMessage: () =>
          'dimension filters are dim.<key>=<value>, one value per key: keys of letters, digits and _ . -',
      },
    },
    options,
  );
}

/** Longest metric name, unit and dimension value (the rules of metric-input.ts). */
const MAX_METRIC_NAME = 200;
const MAX_UNIT = 32;
const MAX_DIMENSION_VALUE = 200;
/** The dimension values, as OpenAPI states them. */
const DIMENSIONS_SCHEMA = { type: 'string', maxLength: MAX_DIMENSION_VALUE } as const;

// Literal bounds in the decorators below (a name at most 200, a time at most 64 characters):
// the swagger plugin documents class-validator bounds only when they are literals.
const ISO_TIME = {
  message: 'must be a date (2026-01-31) or an ISO 8601 time with a zone (2026-01-31T12:00:00Z)',
};

/** The filters shared by the list and the export. */
export class MetricFilterDto {
  /** Only metrics of this name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$/, { message: 'name is not a valid metric name' })
  name?: string;

  @IsOptional()
  @IsUUID('all', { message: 'datasetId must be a UUID' })
  datasetId?: string;

  @IsOptional()
  @IsUUID('all', { message: 'analysisId must be a UUID' })
  analysisId?: string;

  @ApiPropertyOptional({ enum: METRIC_SOURCES })
  @IsOptional()
  @IsIn(METRIC_SOURCES, { message: 'source must be client or agent' })
  source?: MetricSource;

  /** Observed at or after this time (ISO 8601). */
  @IsOptional()
  @IsString({ message: `from ${ISO_TIME.message}` })
  @MaxLength(64, { message: `from ${ISO_TIME.message}` })
  from?: string;

  /** Observed before this time (ISO 8601). */
  @IsOptional()
  @IsString({ message: `to ${ISO_TIME.message}` })
  @MaxLength(64, { message: `to ${ISO_TIME.message}` })
  to?: string;

  /**
   * Dimension filters, sent as `dim.<key>=<value>` query parameters (e.g.
   * `dim.region=eu&dim.tier=gold`): metrics whose dimensions include all of them.
   */
  @ApiPropertyOptional({
    name: 'dim',
    type: 'object',
    additionalProperties: DIMENSIONS_SCHEMA,
    description: 'Send as `dim.<key>=<value>` parameters, e.g. `dim.region=eu`.',
  })
  @IsOptional()
  @IsDimensionFilter()
  dim?: MetricDimensions;
}

/** `GET /v1/metrics`: the filters, newest first, a page at a time. */
export class ListMetricsQueryDto extends IntersectionType(MetricFilterDto, PageQueryDto) {}

export class ExportMetricsQueryDto extends MetricFilterDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'json'], { message: 'format must be csv or json' })
  format: 'csv' | 'json' = 'csv';
}

export class SeriesQueryDto {
  /** The metric to chart. */
  @IsString({ message: 'name is required' })
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$/, { message: 'name is not a valid metric name' })
  name!: string;

  /** Start (inclusive; its bucket is the first). Default: 100 intervals before `to`. */
  @IsOptional()
  @IsString({ message: `from ${ISO_TIME.message}` })
  @MaxLength(64, { message: `from ${ISO_TIME.message}` })
  from?: string;

  /** End (exclusive). Default: the end of the current bucket. */
  @IsOptional()
  @IsString({ message: `to ${ISO_TIME.message}` })
  @MaxLength(64, { message: `to ${ISO_TIME.message}` })
  to?: string;

  @ApiPropertyOptional({ enum: SERIES_INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(SERIES_INTERVALS, { message: `interval must be one of ${SERIES_INTERVALS.join(', ')}` })
  interval: SeriesInterval = 'day';

  @ApiPropertyOptional({ enum: SERIES_AGGREGATES, default: 'avg' })
  @IsOptional()
  @IsIn(SERIES_AGGREGATES, { message: `agg must be one of ${SERIES_AGGREGATES.join(', ')}` })
  agg: SeriesAggregate = 'avg';

  /** A dimension key: one series per value of it (metrics without it form the `null` group). */
  @IsOptional()
  @MaxLength(64, { message: 'groupBy must be a dimension key' })
  @Matches(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, { message: 'groupBy must be a dimension key' })
  groupBy?: string;

  /**
   * With `groupBy`: how many values keep their own run, those with the most metrics in the
   * window (ties by value, the `null` group last); every other value is folded into one
   * `other` run, aggregated over its metrics. Ignored without `groupBy`.
   */
  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: SERIES_MAX_GROUPS,
    default: SERIES_DEFAULT_GROUPS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, SERIES_MAX_GROUPS)
  groups: number = SERIES_DEFAULT_GROUPS;
}

/** One metric to write. */
export class MetricInputDto {
  /** 1–200 characters: letters, digits and `_ . : / -`. */
  @ApiProperty({
    example: 'revenue.daily',
    maxLength: MAX_METRIC_NAME,
    pattern: '^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$',
  })
  name!: string;
  /** A finite number. */
  @ApiProperty({ example: 1234.5, format: 'double' })
  value!: number;
  /** Up to 32 characters, e.g. `EUR`, `ms`, `%`. */
  @ApiPropertyOptional({ nullable: true, type: String, example: 'EUR', maxLength: MAX_UNIT })
  unit?: string | null;
  /** Up to 20 keys (letters, digits, `_ . -`) with string values of up to 200 characters. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: DIMENSIONS_SCHEMA,
    maxProperties: 20,
    example: { region: 'eu' },
  })
  dimensions?: MetricDimensions;
  /** ISO 8601 with a zone; default: the time of the write. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  observedAt?: string;
  /** A dataset of the organization the value was computed from. */
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  datasetId?: string | null;
}

/**
 * A write of up to 10,000 metrics, all or nothing. The items are checked by the
 * service (the same rules as agents' `record_metric`), which names each bad one by
 * its index, e.g. `metrics[12].value`.
 */
export class WriteMetricsDto {
  @ApiProperty({ type: [MetricInputDto], minItems: 1, maxItems: 10_000 })
  @IsArray({ message: 'metrics must be an array' })
  metrics!: unknown[];
}

export class WriteMetricsResultDto {
  count!: number;
  /** The new metrics' ids, in the order they were sent. */
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 10_000 })
  ids!: string[];
}

export class MetricDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ maxLength: MAX_METRIC_NAME })
  name!: string;
  @ApiProperty({ format: 'double' })
  value!: number;
  @ApiProperty({ nullable: true, type: String, maxLength: MAX_UNIT })
  unit!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: DIMENSIONS_SCHEMA, maxProperties: 20 })
  dimensions!: MetricDimensions;
  @ApiProperty({ format: 'date-time' })
  observedAt!: string;
  @ApiProperty({ enum: METRIC_SOURCES })
  source!: MetricSource;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  datasetId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  analysisId!: string | null;
  /** For agent-written metrics: the agent that recorded the value. */
  @ApiProperty({ nullable: true, type: String, maxLength: 100 })
  agent!: string | null;
  /** For agent-written metrics: the tool call whose output holds the value. */
  @ApiProperty({ nullable: true, type: String, maxLength: 256 })
  toolCallId!: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class MetricPageDto {
  @ApiProperty({ type: [MetricDto], maxItems: 500 })
  data!: MetricDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 512 })
  nextCursor!: string | null;
}

export class MetricNameDto {
  @ApiProperty({ maxLength: MAX_METRIC_NAME })
  name!: string;
  count!: number;
  @ApiProperty({ format: 'date-time' })
  lastObservedAt!: string;
}

export class MetricNamesDto {
  data!: MetricNameDto[];
}

export class SeriesPointDto {
  /** Start of the bucket (UTC). */
  @ApiProperty({ format: 'date-time' })
  t!: string;
  /** The aggregate, or null for a bucket without points (0 for `count`). */
  @ApiProperty({ nullable: true, type: Number })
  value!: number | null;
  /**
   * The `groupBy` dimension's value (null: metrics without it); absent without `groupBy`
   * and on the points of the `other` run.
   */
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: MAX_DIMENSION_VALUE })
  group?: string | null;
  /** True on the points of the `other` run: the values of `groupBy` beyond the top `groups`. */
  @ApiPropertyOptional({ type: Boolean })
  other?: true;
}

export class SeriesDto {
  @ApiProperty({ maxLength: MAX_METRIC_NAME })
  name!: string;
  @ApiProperty({ enum: SERIES_INTERVALS })
  interval!: SeriesInterval;
  @ApiProperty({ enum: SERIES_AGGREGATES })
  agg!: SeriesAggregate;
  @ApiPropertyOptional({ maxLength: 64 })
  groupBy?: string;
  /** With `groupBy`: how many values could keep their own run (the request's `groups`). */
  groups?: number;
  /** With `groupBy`: how many values were folded into the `other` run (0: there is none). */
  otherGroups?: number;
  @ApiProperty({ format: 'date-time' })
  from!: string;
  @ApiProperty({ format: 'date-time' })
  to!: string;
  /** At most `METRICS_SERIES_MAX_POINTS` (its largest setting is 1,000,000). */
  @ApiProperty({ type: [SeriesPointDto], maxItems: 1_000_000 })
  @Type(() => SeriesPointDto)
  points!: SeriesPointDto[];
}

export function mapMetric(row: MetricRow): MetricDto {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    unit: row.unit,
    dimensions: row.dimensions,
    observedAt: row.observedAt.toISOString(),
    source: row.source,
    datasetId: row.datasetId,
    analysisId: row.analysisId,
    agent: row.agent,
    toolCallId: row.toolCallId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapMetricName(row: MetricNameRow): MetricNameDto {
  return { name: row.name, count: row.count, lastObservedAt: row.lastObservedAt.toISOString() };
}
