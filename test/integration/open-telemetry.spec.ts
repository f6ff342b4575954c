import { OpenTelemetryTracing } from '@app/observability';
import { DATA_MARKER, startAnalysingApp } from '../support/analysing-app';
import type { Json } from '../support/datasets';
import { FakeOtlpCollector, type ReceivedSpan } from '../support/fake-otlp-collector';
import type { TestApp } from '../support/test-app';

describe('agent spans to an OpenTelemetry collector over OTLP/HTTP', () => {
  const collector = new FakeOtlpCollector();
  let app: TestApp;
  let analyse: () => Promise<{ status: number; body: Json }>;

  beforeAll(async () => {
    const endpoint = await collector.start();
    ({ app, analyse } = await startAnalysingApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
      OTEL_SERVICE_NAME: 'sightline-test',
    }));
  });

  afterAll(async () => {
    await app.close();
    await collector.stop();
  });

  it('sends each analysis as one trace: the analysis, its agents, their turns and tool calls', async () => {
    const response = await analyse();
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('succeeded');
    await app.app.get(OpenTelemetryTracing).flush();

    expect(collector.requests.length).toBeGreaterThan(0);
    for (const request of collector.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.headers).toMatchObject({
        authorization: 'Bearer collector-token',
        'content-type': 'application/json',
      });
      expect(request.body).not.toContain(DATA_MARKER);
    }
    const roots = collector.spans.filter(
      (span) => span.values['sightline.analysis.id'] === response.body.id,
    );
    expect(roots).toHaveLength(1);
    const root = roots[0];
    expect(root).toMatchObject({
      name: 'Sightline analysis',
      service: 'sightline-test',
      scope: 'sightline.agents',
    });
    expect(root.parentSpanId ?? '').toBe('');
    expect(root.values['openai.agents.group_id']).toBe(response.body.id);

    const trace = collector.spans.filter((span) => span.traceId === root.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const ancestry = (span: ReceivedSpan): string[] => {
      const names: string[] = [];
      for (let parent = byId.get(span.parentSpanId ?? ''); parent;) {
        names.push(parent.name);
        parent = byId.get(parent.parentSpanId ?? '');
      }
      return names;
    };
    // Every span of the analysis is in its trace, under its root.
    for (const span of trace.filter((candidate) => candidate !== root)) {
      expect(ancestry(span).at(-1)).toBe('Sightline analysis');
      expect(BigInt(span.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(root.startTimeUnixNano));
      expect(BigInt(span.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(root.endTimeUnixNano));
    }
    const agents = trace.filter((span) => span.values['gen_ai.operation.name'] === 'invoke_agent');
    expect(agents.map((span) => span.values['gen_ai.agent.name']).sort()).toEqual(
      (response.body.agents as Array<{ name: string }>).map((agent) => agent.name).sort(),
    );
    const tools = trace.filter((span) => span.values['gen_ai.operation.name'] === 'execute_tool');
    const toolOf = (agent: string) =>
      tools
        .filter((span) => ancestry(span).includes(`invoke_agent ${agent}`))
        .map((span) => span.values['gen_ai.tool.name']);
    expect(toolOf('profile')).toEqual(expect.arrayContaining(['read_profile']));
    expect(toolOf('summary')).toEqual(['compose_summary']);
    const guardrails = trace.filter(
      (span) => span.values['openai.agents.span_type'] === 'guardrail',
    );
    expect(guardrails.length).toBeGreaterThan(0);
    expect(
      guardrails.every((span) => span.values['openai.agents.guardrail.triggered'] === false),
    ).toBe(true);
  });
});
