import {
  type FunctionSpanData,
  type GenerationSpanData,
  type GuardrailSpanData,
  Runner,
  setTraceProcessors,
  setTracingDisabled,
  Span,
  Trace,
  withTrace,
} from '@openai/agents';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { BuiltinModelProvider } from '@app/models';
import { OpenTelemetryTraceProcessor } from './open-telemetry-trace-processor';
import { INPUT_MARKER, lookupAgent, OUTPUT_MARKER, PROMPT_MARKER } from './testing/lookup-agent';

/** A processor over a real OpenTelemetry SDK whose finished spans are kept in memory. */
function collect() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const processor = new OpenTelemetryTraceProcessor(provider.getTracer('spec'));
  return { processor, spans: () => exporter.getFinishedSpans() };
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('OpenTelemetryTraceProcessor', () => {
  afterAll(() => {
    setTraceProcessors([]);
    setTracingDisabled(true);
  });

  it('turns a real run of two parallel agents into one OpenTelemetry trace, without the data', async () => {
    const { processor, spans } = collect();
    setTraceProcessors([processor]);
    setTracingDisabled(false);
    // The worst case: the runner puts tool inputs and outputs into the SDK's spans.
    const runner = new Runner({
      modelProvider: new BuiltinModelProvider(),
      traceIncludeSensitiveData: true,
    });
    const input = JSON.stringify({ key: INPUT_MARKER });

    await withTrace(
      'spec analysis',
      () =>
        Promise.all([
          runner.run(lookupAgent('left'), input),
          runner.run(lookupAgent('right'), input),
        ]),
      { groupId: 'analysis-7', metadata: { analysisId: 'analysis-7' } },
    );

    const finished = spans();
    const roots = finished.filter((span) => parentOf(span) === undefined);
    expect(roots).toHaveLength(1);
    const root = roots[0];
    expect(root.name).toBe('spec analysis');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(root.attributes).toMatchObject({
      'sightline.analysis.id': 'analysis-7',
      'openai.agents.group_id': 'analysis-7',
      'openai.agents.trace_id': expect.stringMatching(/^trace_/) as string,
    });
    const traceId = root.spanContext().traceId;
    expect(finished.every((span) => span.spanContext().traceId === traceId)).toBe(true);

    // Each run is a task under the analysis (siblings: they ran in parallel), its agent
    // under the task, and the tool call under one of the agent's turns.
    const byId = new Map(finished.map((span) => [span.spanContext().spanId, span]));
    const ancestors = (span: ReadableSpan): string[] => {
      const chain: string[] = [];
      for (let id = parentOf(span); id !== undefined; id = parentOf(byId.get(id) as ReadableSpan)) {
        chain.push(byId.get(id)?.name ?? `missing ${id}`);
      }
      return chain;
    };
    const rootId = root.spanContext().spanId;
    const tasks = finished.filter((span) => span.attributes['openai.agents.span_type'] === 'task');
    expect(tasks.map(parentOf)).toEqual([rootId, rootId]);
    const agents = finished.filter((span) => span.name.startsWith('invoke_agent '));
    expect(agents.map((span) => span.name).sort()).toEqual([
      'invoke_agent left',
      'invoke_agent right',
    ]);
    for (const agent of agents) {
      const name = agent.name.slice('invoke_agent '.length);
      expect(ancestors(agent)).toEqual(['task Agent workflow', 'spec analysis']);
      expect(agent.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': name,
        'openai.agents.span_type': 'agent',
      });
      const turns = finished.filter((span) => parentOf(span) === agent.spanContext().spanId);
      expect(turns.map((span) => span.name)).toEqual([`${name} turn 1`, `${name} turn 2`]);
      const tools = finished.filter((span) =>
        turns.some((turn) => parentOf(span) === turn.spanContext().spanId),
      );
      expect(tools.map((span) => [span.name, span.attributes['gen_ai.tool.name']])).toEqual([
        ['execute_tool lookup', 'lookup'],
      ]);
    }
    // Spans keep the SDK's times: every child lies within the analysis.
    const nanos = ([seconds, nanoseconds]: [number, number]) => seconds * 1e9 + nanoseconds;
    for (const span of finished) {
      expect(nanos(span.startTime)).toBeGreaterThanOrEqual(nanos(root.startTime));
      expect(nanos(span.endTime)).toBeLessThanOrEqual(nanos(root.endTime));
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
    const written = JSON.stringify(finished.map((span) => [span.name, span.attributes]));
    for (const marker of [PROMPT_MARKER, INPUT_MARKER, OUTPUT_MARKER]) {
      expect(written).not.toContain(marker);
    }
  });

  it("marks a failed span as an error with the message, never the error's data", async () => {
    const { processor, spans } = collect();
    const trace = new Trace({ traceId: 'trace_1', name: 'analysis' });
    await processor.onTraceStart(trace);
    const failed = new Span<FunctionSpanData>(
      {
        traceId: 'trace_1',
        spanId: 'span_1',
        data: { type: 'function', name: 'lookup', input: INPUT_MARKER, output: OUTPUT_MARKER },
        startedAt: '2025-01-01T00:00:00.000Z',
        endedAt: '2025-01-01T00:00:01.250Z',
        error: { message: 'Error running tool', data: { error: OUTPUT_MARKER } },
      },
      processor,
    );
    await processor.onSpanStart(failed);
    await processor.onSpanEnd(failed);
    await processor.onTraceEnd(trace);

    const [tool, root] = spans();
    expect(tool?.name).toBe('execute_tool lookup');
    expect(tool?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Error running tool' });
    expect(tool?.attributes['error.type']).toBe('function');
    expect(tool?.startTime).toEqual([Date.parse('2025-01-01T00:00:00.000Z') / 1000, 0]);
    expect(tool?.endTime).toEqual([Date.parse('2025-01-01T00:00:01.000Z') / 1000, 250_000_000]);
    expect(parentOf(tool)).toBe(root?.spanContext().spanId);
    expect(JSON.stringify([tool?.attributes, tool?.events])).not.toContain(OUTPUT_MARKER);
  });

  it('records token usage and tripped guardrails, also for spans whose start it missed', async () => {
    const { processor, spans } = collect();
    await processor.onSpanEnd(
      new Span<GenerationSpanData>(
        {
          traceId: 'trace_2',
          spanId: 'span_2',
          data: {
            type: 'generation',
            model: 'gpt-4.1-mini',
            input: [{ content: PROMPT_MARKER }],
            usage: { input_tokens: 120, output_tokens: 30, details: { cached: 5 } },
          },
          startedAt: '2025-01-01T00:00:00.000Z',
          endedAt: '2025-01-01T00:00:00.500Z',
        },
        processor,
      ),
    );
    await processor.onSpanEnd(
      new Span<GuardrailSpanData>(
        {
          traceId: 'trace_2',
          spanId: 'span_3',
          data: { type: 'guardrail', name: 'screen_input', triggered: true },
          startedAt: '2025-01-01T00:00:00.000Z',
          endedAt: '2025-01-01T00:00:00.010Z',
        },
        processor,
      ),
    );

    const [generation, guardrail] = spans();
    expect(generation?.name).toBe('chat gpt-4.1-mini');
    expect(generation?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'openai.agents.span_type': 'generation',
      'openai.agents.span_id': 'span_2',
    });
    expect(guardrail?.name).toBe('guardrail screen_input');
    expect(guardrail?.attributes['openai.agents.guardrail.triggered']).toBe(true);
  });

  it('ends what is still open when it shuts down, so the exporter sends it', async () => {
    const { processor, spans } = collect();
    await processor.onTraceStart(new Trace({ traceId: 'trace_3', name: 'interrupted' }));
    expect(spans()).toHaveLength(0);

    await processor.shutdown();

    expect(spans().map((span) => span.name)).toEqual(['interrupted']);
  });

  it('continues the trace of the request that queued the analysis (traceparent in its metadata)', async () => {
    const { processor, spans } = collect();
    const trace = new Trace({
      traceId: 'trace_4',
      name: 'Sightline analysis',
      metadata: {
        analysisId: 'analysis-4',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    await processor.onTraceStart(trace);
    await processor.onTraceEnd(trace);

    const [analysis] = spans();
    expect(analysis?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(analysis?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
