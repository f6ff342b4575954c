export { serializeError } from './error-serializer';
export { LoggingModule, type LoggingModuleOptions, REDACTED_PATHS } from './logging.module';
export { recordHttpMetrics } from './prometheus/http-metrics';
export { PrometheusModule } from './prometheus/prometheus.module';
export { PrometheusService } from './prometheus/prometheus.service';
export {
  activeTraceContext,
  requestTraceIds,
  traceContextFrom,
  traceHttpRequests,
} from './tracing/http-tracing';
export { OpenTelemetryTracing } from './tracing/open-telemetry-tracing';
export { TracingModule } from './tracing/tracing.module';
