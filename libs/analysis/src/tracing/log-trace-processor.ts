import type { Span, SpanData, Trace, TracingProcessor } from '@openai/agents';
import { durationMs, spanName, spanUsage } from './span-fields';

/** Where the processor writes: Nest's `Logger` (pino behind it) fits. */
export interface TraceLog {
  debug(message: Record<string, unknown>): void;
}

/** Traces whose start we remember for their duration; a trace that never ends is forgotten. */
const MAX_OPEN_TRACES = 10_000;

/**
 * The SDK's spans and traces as debug log lines: for each
 * ended span its type, a name (agent, tool, model, guardrail), its duration, token usage
 * and error message; for each ended trace its name and duration.
 *
 * Never prompts, model outputs, tool inputs or tool outputs, nor an error's data: those
 * hold the organization's data, and logs are kept and read more widely than the data.
 * The span fields read here are chosen one by one rather than filtered, so a field an SDK
 * update adds does not reach the logs unnoticed.
 */
export class LogTraceProcessor implements TracingProcessor {
  private readonly traceStarts = new Map<string, number>();

  constructor(private readonly log: TraceLog) {}

  onTraceStart(trace: Trace): Promise<void> {
    if (this.traceStarts.size >= MAX_OPEN_TRACES) {
      const oldest = this.traceStarts.keys().next();
      if (oldest.done !== true) this.traceStarts.delete(oldest.value);
    }
    this.traceStarts.set(trace.traceId, Date.now());
    return Promise.resolve();
  }

  onTraceEnd(trace: Trace): Promise<void> {
    const started = this.traceStarts.get(trace.traceId);
    this.traceStarts.delete(trace.traceId);
    this.log.debug({
      msg: `agent trace ${trace.name} ended`,
      traceId: trace.traceId,
      traceName: trace.name,
      ...(trace.groupId === null ? {} : { groupId: trace.groupId }),
      ...(started === undefined ? {} : { durationMs: Date.now() - started }),
    });
    return Promise.resolve();
  }

  onSpanStart(): Promise<void> {
    // Only ends are logged: they carry the duration, and halve the lines.
    return Promise.resolve();
  }

  onSpanEnd(span: Span<SpanData>): Promise<void> {
    const data = span.spanData;
    const name = spanName(data);
    const usage = spanUsage(data);
    const error = span.error;
    this.log.debug({
      msg: `agent span ${data.type}${name === undefined ? '' : ` ${name}`} ended`,
      traceId: span.traceId,
      spanId: span.spanId,
      ...(span.parentId === null ? {} : { parentId: span.parentId }),
      spanType: data.type,
      ...(name === undefined ? {} : { spanName: name }),
      ...(data.type === 'guardrail' ? { triggered: data.triggered } : {}),
      durationMs: durationMs(span.startedAt, span.endedAt),
      ...(usage === undefined ? {} : { usage }),
      ...(error === null ? {} : { error: error.message }),
    });
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.traceStarts.clear();
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    // Nothing is buffered: every line is written as its span ends.
    return Promise.resolve();
  }
}
