import { AppConfig } from '@app/config';
import { OpenTelemetryTracing } from '@app/observability';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  BatchTraceProcessor,
  getGlobalTraceProvider,
  OpenAITracingExporter,
  setTraceProcessors,
  setTracingDisabled,
  type TracingProcessor,
} from '@openai/agents';
import { LogTraceProcessor } from './log-trace-processor';
import { OpenTelemetryTraceProcessor } from './open-telemetry-trace-processor';

/** The OpenTelemetry instrumentation scope of the agents' spans. */
export const AGENT_TRACER_NAME = 'sightline.agents';

/** How long shutdown waits for an exporter to send what it holds. */
export const TRACE_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Owns the SDK's process-wide tracing. Importing `@openai/agents` installs an exporter to
 * OpenAI, which prints "No API key provided for OpenAI tracing exporter" every few
 * seconds without a key and, with `OPENAI_API_KEY` set, ships tool inputs and outputs to
 * OpenAI whichever model runs (STACK.md). At module init, before any analysis can run,
 * this replaces it with our {@link LogTraceProcessor} and {@link OpenTelemetryTraceProcessor}
 * (spans to the configured OTLP collector, if any: OpenTelemetryTracing), plus OpenAI's
 * exporter only when `LLM_TRACE_EXPORT` asks for it (provider `openai`, with the
 * configured key).
 *
 * Tracing is then switched on even under `NODE_ENV=test` (where the SDK defaults it off),
 * since nothing leaves the process unless configured. On shutdown the trace provider is
 * shut down, flushing an exporter within {@link TRACE_SHUTDOWN_TIMEOUT_MS} (before the
 * OpenTelemetry provider, a global module's, flushes in its own shutdown).
 */
@Injectable()
export class AgentTracingService implements OnModuleInit, OnApplicationShutdown {
  // The spans' log context, which log queries filter on: kept as it was before the rename.
  private readonly logger = new Logger('AgentTracing');

  constructor(
    private readonly config: AppConfig,
    private readonly openTelemetry: OpenTelemetryTracing,
  ) {}

  onModuleInit(): void {
    const processors: TracingProcessor[] = [
      new LogTraceProcessor({ debug: (message) => this.logger.debug(message) }),
      new OpenTelemetryTraceProcessor(this.openTelemetry.tracer(AGENT_TRACER_NAME)),
    ];
    const llm = this.config.llm;
    const exportToOpenAI = llm.provider === 'openai' && llm.traceExport;
    if (exportToOpenAI) {
      processors.push(new BatchTraceProcessor(new OpenAITracingExporter({ apiKey: llm.apiKey })));
    }
    setTraceProcessors(processors);
    setTracingDisabled(false);
    this.logger.log(
      exportToOpenAI
        ? 'Agent traces go to the logs (debug), OpenTelemetry and OpenAI (LLM_TRACE_EXPORT)'
        : 'Agent traces go to the logs (debug) and OpenTelemetry',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await getGlobalTraceProvider().shutdown(TRACE_SHUTDOWN_TIMEOUT_MS);
  }
}
