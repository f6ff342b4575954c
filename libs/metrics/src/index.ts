export { MetricsCoreModule, MetricsModule } from './metrics.module';
export { MetricsService, type RecordMetricContext } from './services/metrics.service';
export { MetricEntity, MetricNameEntity, type MetricSource } from './entities/metric.entity';
export { MAX_METRICS_PER_WRITE, parseMetricInputs, type MetricInput } from './metric-input';
export { SeriesWarmer } from './cache/series-warmer';
