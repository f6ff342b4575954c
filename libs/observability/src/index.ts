export { LoggingModule, type LoggingModuleOptions, REDACTED_PATHS } from './logging.module';
export { recordHttpMetrics } from './metrics/http-metrics';
export { MetricsModule } from './metrics/metrics.module';
export { MetricsService } from './metrics/metrics.service';
export { OpenTelemetryTracing } from './tracing/open-telemetry-tracing';
export { TracingModule } from './tracing/tracing.module';
