import { AppConfig } from '@app/config';
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

/** How long shutdown waits for an exporter to send what it holds. */
export const TRACE_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Owns the SDK's process-wide tracing. Importing `@openai/agents` installs an exporter to
 * OpenAI, which prints "No API key provided for OpenAI tracing exporter" every few
 * seconds without a key and, with `OPENAI_API_KEY` set, ships tool inputs and outputs to
 * OpenAI whichever model runs (STACK.md). At module init, before any analysis can run,
 * this replaces it with our {@link LogTraceProcessor}, plus OpenAI's exporter only when
 * `LLM_TRACE_EXPORT` asks for it (provider `openai`, with the configured key).
 *
 * Tracing is then switched on even under `NODE_ENV=test` (where the SDK defaults it off),
 * since nothing leaves the process unless configured. On shutdown the trace provider is
 * shut down, flushing an exporter within {@link TRACE_SHUTDOWN_TIMEOUT_MS}.
 */
@Injectable()
export class AgentTracing implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AgentTracing.name);

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    const processors: TracingProcessor[] = [
      new LogTraceProcessor({ debug: (message) => this.logger.debug(message) }),
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
        ? 'Agent traces go to the logs (debug) and to OpenAI (LLM_TRACE_EXPORT)'
        : 'Agent traces go to the logs (debug) only',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await getGlobalTraceProvider().shutdown(TRACE_SHUTDOWN_TIMEOUT_MS);
  }
}
