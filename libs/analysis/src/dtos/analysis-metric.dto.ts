import {
  isDimensionKey,
  type MetricDimensions,
  SERIES_AGGREGATES,
  SERIES_INTERVALS,
  type SeriesAggregate,
  type SeriesInterval,
} from '@app/metrics';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

/** Most dimension filters a metric input takes (a metric has at most 20 dimensions). */
const MAX_DIMENSION_FILTERS = 20;

/** `{key: value}` filters: dimension keys, string values of at most 200 characters. */
function IsDimensionFilters(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDimensionFilters',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= MAX_DIMENSION_FILTERS &&
          Object.entries(value).every(
            ([key, text]) => isDimensionKey(key) && typeof text === 'string' && text.length <= 200,
          ),
        defaultMessage: () =>
          `dimensions must be an object of at most ${MAX_DIMENSION_FILTERS} keys (letters, digits ` +
          'and _ . -) with string values of at most 200 characters',
      },
    },
    options,
  );
}

const ISO_TIME =
  'must be a date (2026-01-31) or an ISO 8601 time with a zone (2026-01-31T12:00:00Z)';

/**
 * A metric's series to analyse: the buckets `GET /v1/metrics/series` would answer, stored
 * as records `{time, <name>, <groupBy>?}` (docs/analyses.md, Metric series).
 */
export class AnalysisMetricDto {
  /** The metric's name. */
  @ApiProperty({
    example: 'api.latency_ms',
    maxLength: 200,
    pattern: '^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$',
  })
  @IsString({ message: 'name is required' })
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$/, { message: 'name is not a valid metric name' })
  name!: string;

  /** Start (inclusive; its bucket is the first). Default: the metric's first point. */
  @ApiPropertyOptional({ maxLength: 64, example: '2026-01-01' })
  @IsOptional()
  @IsString({ message: `from ${ISO_TIME}` })
  @MaxLength(64, { message: `from ${ISO_TIME}` })
  from?: string;

  /** End (exclusive). Default: the end of the bucket of the metric's last point. */
  @ApiPropertyOptional({ maxLength: 64, example: '2026-03-01' })
  @IsOptional()
  @IsString({ message: `to ${ISO_TIME}` })
  @MaxLength(64, { message: `to ${ISO_TIME}` })
  to?: string;

  /**
   * Bucket width. Default: the finest whose series has at most 5,000 values and no more
   * buckets than twice the metric's points, so most buckets hold a point.
   */
  @ApiPropertyOptional({ enum: SERIES_INTERVALS })
  @IsOptional()
  @IsIn(SERIES_INTERVALS, { message: `interval must be one of ${SERIES_INTERVALS.join(', ')}` })
  interval?: SeriesInterval;

  /** How a bucket's points are aggregated. */
  @ApiPropertyOptional({ enum: SERIES_AGGREGATES, default: 'avg' })
  @IsOptional()
  @IsIn(SERIES_AGGREGATES, { message: `agg must be one of ${SERIES_AGGREGATES.join(', ')}` })
  agg?: SeriesAggregate;

  /**
   * A dimension key: one series per value (the 10 most frequent; the rest as `(other)`),
   * stored as a category column of that name, so the segments agent compares the groups.
   */
  @ApiPropertyOptional({ maxLength: 64, pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' })
  @IsOptional()
  @IsString({ message: 'groupBy must be a dimension key' })
  @Matches(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, { message: 'groupBy must be a dimension key' })
  groupBy?: string;

  /** Only points whose dimensions include all of these, as `dim.<key>=<value>` on `GET /v1/metrics`. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    maxProperties: MAX_DIMENSION_FILTERS,
    example: { region: 'eu' },
  })
  @IsOptional()
  @IsDimensionFilters()
  dimensions?: MetricDimensions;
}
