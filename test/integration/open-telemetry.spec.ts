import { OpenTelemetryTracing } from '@app/observability';
import { DATA_MARKER, startAnalysingApp } from '../support/analysing-app';
import type { Json } from '../support/datasets';
import { call } from '../support/factory';
import { FakeOtlpCollector, type ReceivedSpan } from '../support/fake-otlp-collector';
import type { TestApp } from '../support/test-app';

/** The spans of one trace, with each span's ancestors' names (nearest first). */
function traceOf(spans: ReceivedSpan[], traceId: string) {
  const trace = spans.filter((span) => span.traceId === traceId);
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const ancestry = (span: ReceivedSpan): string[] => {
    const names: string[] = [];
    for (let parent = byId.get(span.parentSpanId ?? ''); parent !== undefined;) {
      names.push(parent.name);
      parent = byId.get(parent.parentSpanId ?? '');
    }
    return names;
  };
  return { trace, ancestry };
}

describe('spans to an OpenTelemetry collector over OTLP/HTTP', () => {
  const collector = new FakeOtlpCollector();
  let app: TestApp;
  let analyse: (headers?: Record<string, string>) => Promise<{ status: number; body: Json }>;

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

  /**
   * Flushes until the collector holds the spans of `requests` requests: a request's span
   * ends in the response hook, which may run just after the client has its answer.
   */
  async function exported(requests: number): Promise<void> {
    const deadline = Date.now() + 5_000;
    const received = () => collector.spans.filter((span) => span.scope === 'sightline.http');
    while (received().length < requests && Date.now() < deadline) {
      await app.app.get(OpenTelemetryTracing).flush();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('sends each analysis as one trace: the analysis, its agents, their turns and tool calls', async () => {
    const response = await analyse();
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('succeeded');
    await exported(2); // the upload, the analysis

    expect(collector.requests.length).toBeGreaterThan(0);
    for (const request of collector.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.headers).toMatchObject({
        authorization: 'Bearer collector-token',
        'content-type': 'application/json',
      });
      expect(request.body).not.toContain(DATA_MARKER);
    }
    const analysisSpans = collector.spans.filter(
      (span) => span.values['sightline.analysis.id'] === response.body.id,
    );
    expect(analysisSpans).toHaveLength(1);
    const root = analysisSpans[0];
    expect(root).toMatchObject({
      name: 'Sightline analysis',
      service: 'sightline-test',
      scope: 'sightline.agents',
    });
    expect(root.values['openai.agents.group_id']).toBe(response.body.id);

    const { trace, ancestry } = traceOf(collector.spans, root.traceId);
    // The request that queued the analysis is its parent, and the root of the trace.
    const request = trace.find((span) => span.spanId === root.parentSpanId);
    expect(request).toMatchObject({
      name: 'POST /v1/analyses',
      kind: 2, // SERVER
      scope: 'sightline.http',
    });
    expect(request?.parentSpanId ?? '').toBe('');
    // Every span of the analysis is in its trace, under it.
    for (const span of trace.filter((candidate) => candidate !== root && candidate !== request)) {
      expect(ancestry(span).slice(-2)).toEqual(['Sightline analysis', 'POST /v1/analyses']);
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

  it("continues a caller's trace (W3C traceparent), and logs the request with its trace", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await analyse({ traceparent: `00-${callerTrace}-${callerSpan}-01` });
    expect(response.status).toBe(200);
    await exported(3);

    const { trace, ancestry } = traceOf(collector.spans, callerTrace);
    const request = trace.find((span) => span.name === 'POST /v1/analyses');
    expect(request).toMatchObject({ parentSpanId: callerSpan, kind: 2 });
    expect(request?.values).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/analyses',
      'url.path': '/v1/analyses',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'sightline.request_id': expect.any(String) as string,
    });
    const analysis = trace.find(
      (span) => span.values['sightline.analysis.id'] === response.body.id,
    );
    expect(analysis?.parentSpanId).toBe(request?.spanId);
    const agents = trace.filter((span) => span.values['gen_ai.operation.name'] === 'invoke_agent');
    expect(agents.length).toBeGreaterThan(0);
    for (const agent of agents) expect(ancestry(agent)).toContain('POST /v1/analyses');

    const requestId = request?.values['sightline.request_id'];
    const lines = app.logs.filter((line) => (line.req as Json | undefined)?.id === requestId);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ traceId: callerTrace, spanId: request?.spanId });
    }
  });

  it('traces every request but probes and scrapes, errors by status, never the query string', async () => {
    collector.spans.length = 0;
    const probe = await call(app.baseUrl, 'GET', '/health/live');
    const scrape = await call(app.baseUrl, 'GET', '/metrics');
    const missing = await call(app.baseUrl, 'GET', `/v1/no-such-route?q=${DATA_MARKER}`);
    const anonymous = await call(app.baseUrl, 'GET', `/v1/datasets?search=${DATA_MARKER}`);
    expect([probe.status, scrape.status, missing.status, anonymous.status]).toEqual([
      200, 200, 404, 401,
    ]);
    await exported(2); // the probe and the scrape make none

    const requests = collector.spans.filter((span) => span.scope === 'sightline.http');
    expect(
      requests.map((span) => [
        span.name,
        span.values['http.response.status_code'],
        span.status?.code,
      ]),
    ).toEqual([
      ['GET', 404, 0], // UNSET: a client's error is not the server's
      ['GET /v1/datasets', 401, 0],
    ]);
    expect(requests.map((span) => span.values['url.path'])).toEqual([
      '/v1/no-such-route',
      '/v1/datasets',
    ]);
    expect(JSON.stringify(requests)).not.toContain(DATA_MARKER);
  });
});
