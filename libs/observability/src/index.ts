export { LoggingModule, type LoggingModuleOptions, REDACTED_PATHS } from './logging.module';
export { recordHttpMetrics } from './metrics/http-metrics';
export { MetricsModule } from './metrics/metrics.module';
export { MetricsService } from './metrics/metrics.service';
