export { MetricsCoreModule, MetricsModule } from './metrics.module';
export { MetricsService, type RecordMetricContext } from './services/metrics.service';
export { MetricEntity, MetricNameEntity, type MetricSource } from './entities/metric.entity';
export type { MetricDimensions } from './entities/metric.entity';
export {
  MAX_METRICS_PER_WRITE,
  isDimensionKey,
  parseMetricInputs,
  type MetricInput,
} from './metric-input';
export { SeriesWarmer } from './cache/series-warmer';
export type { SeriesDto } from './dtos/metric.dto';
export {
  SERIES_AGGREGATES,
  SERIES_INTERVALS,
  type MetricSpan,
  type MetricSpanQuery,
  type SeriesAggregate,
  type SeriesInterval,
  type SeriesQuery,
} from './repositories/metrics.repository';
export {
  SERIES_DEFAULT_GROUPS,
  addBuckets,
  bucketCount,
  bucketStart,
  parseQueryTime,
} from './series-window';
