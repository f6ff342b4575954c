import type { TelemetryConfig } from '@app/config';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { type ExportFailureLog, ReportedSpanExporter } from './reported-span-exporter';

/**
 * A tracer provider that batches spans to the collector at `traces.endpoint` over OTLP/HTTP
 * (JSON), sampled as `OTEL_TRACES_SAMPLER` says; `shown` is the endpoint as the logs may
 * print it. Loaded only when an endpoint is configured (see OpenTelemetryTracing).
 */
export function otlpTracerProvider(
  telemetry: TelemetryConfig,
  shown: string,
  log: ExportFailureLog,
): TracerProvider {
  const { traces } = telemetry;
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': telemetry.serviceName }),
    sampler: samplerFor(traces),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new ReportedSpanExporter(
          new OTLPTraceExporter({
            url: traces.endpoint,
            headers: traces.headers,
            timeoutMillis: traces.timeoutMs,
          }),
          shown,
          log,
        ),
        exportTimeoutMillis: traces.timeoutMs,
      }),
    ],
  });
}

/** `OTEL_TRACES_SAMPLER` as OpenTelemetry's SDK reads it (default: parent-based, all roots). */
function samplerFor({ sampler, ratio }: TelemetryConfig['traces']): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
