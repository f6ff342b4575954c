import { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * The process's OpenTelemetry tracer provider. With an OTLP endpoint configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `…_TRACES_ENDPOINT`) it is our own, batching spans
 * to that collector over HTTP (JSON) under `OTEL_SERVICE_NAME`; without one, tracers
 * come from the global API, which does nothing unless the operator registered an SDK
 * (`node --require @opentelemetry/auto-instrumentations-node/register`, say).
 *
 * Our provider is not registered globally: tests build many apps in one process, and
 * the global one can be set only once. The context manager is (AsyncLocalStorage, once per
 * process, unless the operator's SDK registered one first): without it no span could be
 * the parent of what runs after an `await` (see traceHttpRequests).
 */
@Injectable()
export class OpenTelemetryTracing implements OnApplicationShutdown {
  private readonly logger = new Logger(OpenTelemetryTracing.name);
  private readonly provider: TracerProvider | undefined;

  constructor(config: AppConfig) {
    registerContextManager();
    const { traces } = config.telemetry;
    if (traces.endpoint === undefined) return;
    const shown = withoutCredentials(traces.endpoint);
    // Required here, not imported: the SDK and exporter cost the process ~6 MB of memory
    // (idle and peak RSS, `npm run bench -- ingest`), and most processes export nothing.
    const { otlpTracerProvider } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used
      require('./otlp-tracer-provider') as typeof import('./otlp-tracer-provider');
    this.provider = otlpTracerProvider(config.telemetry, shown, this.logger);
    this.logger.log(`Spans are exported over OTLP/HTTP to ${shown}`);
  }

  /** A tracer named after the instrumented part (`sightline.agents`, ...). */
  tracer(name: string): Tracer {
    return (this.provider ?? trace.getTracerProvider()).getTracer(name);
  }

  /**
   * Sends the spans still batched now (tests read the collector after it). A failure is
   * reported by the exporter's warning, not thrown: spans are never worth failing for.
   */
  async flush(): Promise<void> {
    await this.provider?.forceFlush().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    // Flushes what is batched, within OTEL_EXPORTER_OTLP_TIMEOUT; a failure is warned about.
    await this.provider?.shutdown().catch(() => undefined);
  }
}

/** The URL without a user name or password, for the logs. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

let contextManager: AsyncLocalStorageContextManager | undefined;

function registerContextManager(): void {
  if (contextManager !== undefined) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  // False when one is registered already (an operator's SDK): theirs serves as well.
  context.setGlobalContextManager(contextManager);
}
