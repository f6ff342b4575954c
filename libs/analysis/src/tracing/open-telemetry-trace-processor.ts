import type { Span, SpanData, Trace, TracingProcessor } from '@openai/agents';
import {
  type Attributes,
  context,
  type Span as OtelSpan,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
  type Tracer,
} from '@opentelemetry/api';
import { traceContextFrom } from '@app/observability';
import { spanName, spanUsage } from './span-fields';

/** Spans and traces held open; past this the oldest is ended (a run that never ends its spans). */
const MAX_OPEN_SPANS = 10_000;

/**
 * The SDK's traces and spans as OpenTelemetry spans, with the same fields as the logs
 * (./span-fields: names, token counts, error messages; never prompts, outputs or tool
 * data). An SDK trace becomes the analysis span (`sightline.analysis.id`; a child of the
 * request that queued it when its metadata carries a `traceparent`, else a root), each
 * SDK span a child of its SDK parent, named and attributed after OpenTelemetry's GenAI
 * conventions (`invoke_agent profile`, `execute_tool record_metric`, `chat <model>`),
 * with the SDK's own times: analysis → a task per agent run → the agent → its turns →
 * tool calls (and model calls, for models that report them). Parallel agents of one
 * analysis are siblings in one trace.
 */
export class OpenTelemetryTraceProcessor implements TracingProcessor {
  /** Open OpenTelemetry spans by SDK trace id (the root) or SDK span id. */
  private readonly open = new Map<string, OtelSpan>();

  constructor(private readonly tracer: Tracer) {}

  onTraceStart(trace: Trace): Promise<void> {
    const attributes: Attributes = { 'openai.agents.trace_id': trace.traceId };
    if (trace.groupId !== null) attributes['openai.agents.group_id'] = trace.groupId;
    const analysisId: unknown = trace.metadata?.analysisId;
    if (typeof analysisId === 'string') attributes['sightline.analysis.id'] = analysisId;
    // The request that queued the analysis is its parent (ROOT_CONTEXT without one).
    const parent = traceContextFrom(w3cHeaders(trace.metadata));
    this.hold(
      trace.traceId,
      // Wall-clock times in whole milliseconds, like the SDK's spans inside it: from
      // OpenTelemetry's own finer clock, a child could seem to end just after its parent.
      this.tracer.startSpan(
        trace.name,
        { kind: SpanKind.INTERNAL, attributes, startTime: new Date() },
        parent,
      ),
    );
    return Promise.resolve();
  }

  onTraceEnd(trace: Trace): Promise<void> {
    this.release(trace.traceId)?.end(new Date());
    return Promise.resolve();
  }

  onSpanStart(span: Span<SpanData>): Promise<void> {
    this.hold(span.spanId, this.openSpan(span));
    return Promise.resolve();
  }

  onSpanEnd(span: Span<SpanData>): Promise<void> {
    // A span that started before this processor was installed is made whole here.
    const otel = this.release(span.spanId) ?? this.openSpan(span);
    const data = span.spanData;
    const usage = spanUsage(data);
    if (usage !== undefined) {
      for (const [key, value] of Object.entries(usage)) {
        otel.setAttribute(usageAttribute(key), value);
      }
    }
    if (data.type === 'guardrail') {
      otel.setAttribute('openai.agents.guardrail.triggered', data.triggered);
    }
    const error = span.error;
    if (error !== null) {
      otel.setAttribute('error.type', data.type);
      otel.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    otel.end(time(span.endedAt));
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    // Whatever is still open is ended now, so the exporter sends it rather than nothing.
    for (const otel of this.open.values()) otel.end();
    this.open.clear();
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    // Ended spans are the tracer provider's to send; it flushes on its own shutdown.
    return Promise.resolve();
  }

  private openSpan(span: Span<SpanData>): OtelSpan {
    const data = span.spanData;
    const parent = this.open.get(span.parentId ?? span.traceId);
    const parentContext =
      parent === undefined ? context.active() : otelTrace.setSpan(context.active(), parent);
    const { name, attributes } = describe(data);
    attributes['openai.agents.span_type'] = data.type;
    attributes['openai.agents.span_id'] = span.spanId;
    return this.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, startTime: time(span.startedAt), attributes },
      parentContext,
    );
  }

  private hold(id: string, otel: OtelSpan): void {
    if (this.open.size >= MAX_OPEN_SPANS) {
      const oldest = this.open.entries().next();
      if (oldest.done !== true) {
        this.open.delete(oldest.value[0]);
        oldest.value[1].end();
      }
    }
    this.open.set(id, otel);
  }

  private release(id: string): OtelSpan | undefined {
    const otel = this.open.get(id);
    this.open.delete(id);
    return otel;
  }
}

/** The W3C trace context headers in a trace's metadata (see runAnalysis), if any. */
function w3cHeaders(metadata: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = metadata?.[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** Span name and attributes after OpenTelemetry's GenAI semantic conventions. */
function describe(data: SpanData): { name: string; attributes: Attributes } {
  if (data.type === 'agent') {
    return {
      name: `invoke_agent ${data.name}`,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': data.name },
    };
  }
  if (data.type === 'function') {
    return {
      name: `execute_tool ${data.name}`,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': data.name },
    };
  }
  if (data.type === 'generation') {
    return {
      name: data.model === undefined ? 'chat' : `chat ${data.model}`,
      attributes: {
        'gen_ai.operation.name': 'chat',
        ...(data.model === undefined ? {} : { 'gen_ai.request.model': data.model }),
      },
    };
  }
  // `left turn 2` says what it is; other names (a task's, a guardrail's) get their type.
  const name = spanName(data);
  if (data.type === 'turn' || name === undefined)
    return { name: name ?? data.type, attributes: {} };
  return { name: `${data.type} ${name}`, attributes: {} };
}

/** `input_tokens` → `gen_ai.usage.input_tokens`; counts the conventions lack keep the SDK's name. */
function usageAttribute(key: string): string {
  return key === 'input_tokens' || key === 'output_tokens'
    ? `gen_ai.usage.${key}`
    : `openai.agents.usage.${key}`;
}

function time(iso: string | null): Date | undefined {
  if (iso === null) return undefined;
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
