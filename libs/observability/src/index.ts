export { serializeError } from './error-serializer';
export { LoggingModule, type LoggingModuleOptions, REDACTED_PATHS } from './logging.module';
export { recordHttpMetrics } from './metrics/http-metrics';
export { MetricsModule } from './metrics/metrics.module';
export { MetricsService } from './metrics/metrics.service';
export {
  activeTraceContext,
  requestTraceIds,
  traceContextFrom,
  traceHttpRequests,
} from './tracing/http-tracing';
export { OpenTelemetryTracing } from './tracing/open-telemetry-tracing';
export { TracingModule } from './tracing/tracing.module';
