import {
  type GuardrailSpanData,
  Runner,
  setTraceProcessors,
  setTracingDisabled,
  Span,
  type FunctionSpanData,
  Trace,
} from '@openai/agents';
import { BuiltinModelProvider } from '@app/models';
import { LogTraceProcessor } from './log-trace-processor';
import { INPUT_MARKER, lookupAgent, OUTPUT_MARKER, PROMPT_MARKER } from './testing/lookup-agent';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: { debug: (line: Record<string, unknown>) => lines.push(line) } };
}

describe('LogTraceProcessor', () => {
  afterAll(() => {
    setTraceProcessors([]);
    setTracingDisabled(true);
  });

  it('logs every span and the trace of a real run, with durations and never the data', async () => {
    const { lines, log } = capture();
    setTraceProcessors([new LogTraceProcessor(log)]);
    setTracingDisabled(false);
    // The worst case: the runner puts tool inputs and outputs into the spans.
    const runner = new Runner({
      modelProvider: new BuiltinModelProvider(),
      workflowName: 'spec workflow',
      traceIncludeSensitiveData: true,
    });
    const agent = lookupAgent();

    await runner.run(agent, JSON.stringify({ key: INPUT_MARKER }));

    const spans = lines.filter((line) => 'spanType' in line);
    expect(spans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          spanType: 'agent',
          spanName: 'lookup-agent',
          durationMs: expect.any(Number) as number,
        }),
        expect.objectContaining({
          spanType: 'function',
          spanName: 'lookup',
          msg: 'agent span function lookup ended',
          durationMs: expect.any(Number) as number,
        }),
      ]),
    );
    for (const span of spans) {
      expect(span).toMatchObject({ traceId: expect.any(String) as string });
      expect(span.durationMs as number).toBeGreaterThanOrEqual(0);
    }
    const traces = lines.filter((line) => 'traceName' in line);
    expect(traces).toEqual([
      expect.objectContaining({
        msg: 'agent trace spec workflow ended',
        traceName: 'spec workflow',
        durationMs: expect.any(Number) as number,
      }),
    ]);
    const written = JSON.stringify(lines);
    for (const marker of [PROMPT_MARKER, INPUT_MARKER, OUTPUT_MARKER]) {
      expect(written).not.toContain(marker);
    }
  });

  it("logs an error's message but not its data", async () => {
    const { lines, log } = capture();
    const processor = new LogTraceProcessor(log);
    const span = new Span<FunctionSpanData>(
      {
        traceId: 'trace_1',
        spanId: 'span_1',
        parentId: 'span_0',
        data: { type: 'function', name: 'lookup', input: INPUT_MARKER, output: OUTPUT_MARKER },
        startedAt: '2025-01-01T00:00:00.000Z',
        endedAt: '2025-01-01T00:00:01.250Z',
        error: { message: 'Error running tool', data: { error: OUTPUT_MARKER } },
      },
      processor,
    );

    await processor.onSpanEnd(span);

    expect(lines).toEqual([
      {
        msg: 'agent span function lookup ended',
        traceId: 'trace_1',
        spanId: 'span_1',
        parentId: 'span_0',
        spanType: 'function',
        spanName: 'lookup',
        durationMs: 1250,
        error: 'Error running tool',
      },
    ]);
  });

  it('says whether a guardrail tripped, and times a trace from its start', async () => {
    const { lines, log } = capture();
    const processor = new LogTraceProcessor(log);
    const trace = new Trace({ traceId: 'trace_2', name: 'analysis', groupId: 'analysis-1' });
    await processor.onTraceStart(trace);
    await processor.onSpanEnd(
      new Span<GuardrailSpanData>(
        {
          traceId: 'trace_2',
          spanId: 'span_2',
          data: { type: 'guardrail', name: 'screen_input', triggered: true },
          startedAt: '2025-01-01T00:00:00.000Z',
          endedAt: '2025-01-01T00:00:00.010Z',
        },
        processor,
      ),
    );
    await processor.onTraceEnd(trace);

    expect(lines[0]).toMatchObject({ spanType: 'guardrail', triggered: true, durationMs: 10 });
    expect(lines[1]).toMatchObject({
      traceName: 'analysis',
      groupId: 'analysis-1',
      durationMs: expect.any(Number) as number,
    });
  });
});
