export { MetricsCoreModule, MetricsModule } from './metrics.module';
export { MetricsService, type RecordMetricContext } from './services/metrics.service';
export { MetricReadsService } from './services/metric-reads.service';
export { MetricPeriodsService } from './services/metric-periods.service';
export type {
  MetricPeriodBucket,
  MetricPeriodQuery,
  MetricPeriodStatistics,
} from './repositories/metric-periods.repository';
export { MetricNameEntity } from './entities/metric-name.entity';
export { MetricEntity, type MetricSource } from './entities/metric.entity';
export type { MetricDimensions } from './entities/metric.entity';
export {
  MAX_METRICS_PER_WRITE,
  isDimensionKey,
  parseMetricInputs,
  type MetricInput,
} from './input/metric-input';
export { SeriesWarmerJob } from './jobs/series-warmer.job';
export type { SeriesDto } from './dtos/metric.dto';
export {
  SERIES_AGGREGATES,
  SERIES_INTERVALS,
  type MetricSpan,
  type MetricSpanQuery,
  type SeriesAggregate,
  type SeriesInterval,
  type SeriesQuery,
} from './repositories/metric-queries';
export {
  SERIES_DEFAULT_GROUPS,
  addBuckets,
  bucketCount,
  bucketStart,
  parseQueryTime,
} from './series/series-window';
