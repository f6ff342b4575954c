import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { OpenTelemetryTracing } from '@app/observability';
import { FakeChatServer, INVENTED, type Received, text } from '../support/fake-chat-server';
import { FakeOtlpCollector } from '../support/fake-otlp-collector';
import { until } from '../support/poll';
import { startTestApp, type TestApp } from '../support/test-app';

const MODEL = 'local-test-model';
/** Short enough for a hanging server to fail the analysis soon, long for the others. */
const ANALYSIS_TIMEOUT_SECONDS = 8;
/** A word only the dataset holds: it may reach the model, never the logs. */
const DATA_MARKER = 'quokka';

describe('agents on an OpenAI-compatible server over real HTTP (Chat Completions)', () => {
  const fake = new FakeChatServer();
  const collector = new FakeOtlpCollector();
  let app: TestApp;
  let analyst: string;
  let datasetId: string;
  let consoleLines: string[];

  beforeAll(async () => {
    const baseUrl = await fake.start();
    const collectorUrl = await collector.start();
    consoleLines = [];
    for (const method of ['error', 'warn'] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map(String).join(' '));
      });
    }
    app = await startTestApp({
      env: {
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: baseUrl,
        LLM_MODEL: MODEL,
        LOG_LEVEL: 'debug',
        ANALYSIS_TIMEOUT_SECONDS: String(ANALYSIS_TIMEOUT_SECONDS),
        RATE_LIMIT_EXPENSIVE_LIMIT: '10000',
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      },
    });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const lines = ['day,sales,flat,sparse,comment'];
    for (let d = 0; d < 30; d++) {
      const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      // Prose (distinct sentences), so the text agent reads it.
      const comment =
        d % 2 === 0 ? `great ${DATA_MARKER} service on day ${d}` : `awful delay on day ${d}`;
      lines.push(`${day},${100 + 2 * d + (d % 3)},7,${d % 3 === 0 ? d : ''},${comment}`);
    }
    const uploaded = await uploadCsv(app, analyst, `${lines.join('\n')}\n`);
    expect(uploaded.status).toBe(201);
    datasetId = String(uploaded.body.id);
  });

  afterAll(async () => {
    await app.close();
    await fake.stop();
    await collector.stop();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    fake.received.length = 0;
  });

  function analyse(body: Json) {
    return call(app.baseUrl, 'POST', '/v1/analyses?wait=30', {
      headers: { 'x-api-key': analyst },
      body,
    });
  }

  let firstAnalysisId = '';

  it('runs an analysis through the server: tools called, results returned, output structured', async () => {
    fake.mode = 'answer';

    const response = await analyse({ datasetId });

    expect(response.status).toBe(200);
    const analysis = response.body;
    firstAnalysisId = String(analysis.id);
    expect(analysis).toMatchObject({
      status: 'succeeded',
      model: { provider: 'openai-compatible', name: MODEL, sdkVersion: '0.20.0' },
      error: null,
    });
    const agents = analysis.agents as Array<{ name: string; status: string; usage: Json }>;
    expect(agents.map((agent) => [agent.name, agent.status])).toEqual([
      ['profile', 'succeeded'],
      ['trends', 'succeeded'],
      ['anomalies', 'succeeded'],
      ['segments', 'succeeded'],
      ['text', 'succeeded'],
      ['summary', 'succeeded'],
    ]);
    // Two model calls per agent (tools, then the answer), with the server's token counts.
    for (const agent of agents) {
      expect(agent.usage).toMatchObject({ requests: 2 });
      expect(agent.usage.inputTokens).toBeGreaterThan(0);
    }

    // What went over the wire: the configured model, Chat Completions without streaming,
    // no GPT-5-only settings, and the placeholder key (never an OpenAI key). Beside the
    // agents' calls, the text tools ask the model to label passages (one call per batch:
    // the comment column, and the text the stand-in passed to analyze_text).
    const labelling = ({ body }: Received) =>
      (body.tools ?? []).some((tool) => tool.function.name === 'label_passages');
    expect(fake.received.filter((call) => !labelling(call))).toHaveLength(12);
    expect(fake.received.filter(labelling)).toHaveLength(2);
    for (const { body, authorization } of fake.received) {
      expect(body.model).toBe(MODEL);
      expect(body.stream).not.toBe(true);
      expect(body).not.toHaveProperty('reasoning_effort');
      expect(body).not.toHaveProperty('verbosity');
      expect(authorization).toBe('Bearer local');
    }
    for (const { body } of fake.received.filter((call) => !labelling(call)))
      expect(body.response_format).toMatchObject({ type: 'json_schema' });
    // The stand-in answers the labelling without its tool: the scorer's labels stay.
    const texts = (analysis.result as { texts: Array<{ passages: Array<{ method: string }> }> })
      .texts;
    expect(texts.flatMap((t) => t.passages.map((p) => p.method))).toContain('builtin');
    expect(texts.flatMap((t) => t.passages.map((p) => p.method))).not.toContain('model');

    // The profile agent's round trip: tools offered, called, and their outputs sent back.
    const profileTurns = fake.received.filter(({ body }) =>
      (body.tools ?? []).some((tool) => tool.function.name === 'find_quality_issues'),
    );
    expect(profileTurns).toHaveLength(2);
    const [first, second] = profileTurns.map(({ body }) => body);
    expect(first.tools?.map((tool) => tool.function.name)).toEqual([
      'read_profile',
      'find_quality_issues',
      'record_metric',
    ]);
    expect(first.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(JSON.parse(text(first.messages[1].content))).toEqual({ datasetId });
    const asked = second.messages.find((message) => message.role === 'assistant');
    const callIds = (asked?.tool_calls ?? []).map((toolCall) => toolCall.id);
    expect(callIds).toEqual([
      expect.stringMatching(/^call_fake_\d+_read_profile$/),
      expect.stringMatching(/^call_fake_\d+_find_quality_issues$/),
    ]);
    const toolMessages = second.messages.filter((message) => message.role === 'tool');
    expect(toolMessages.map((message) => message.tool_call_id)).toEqual(callIds);
    const issuesOutput = JSON.parse(text(toolMessages[1].content)) as {
      issues: Json[];
      issuesToolCallId: string;
    };
    // The tool saw the server's call id, and found what the data holds.
    expect(issuesOutput.issuesToolCallId).toBe(callIds[1]);
    expect(issuesOutput.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 'flat', kind: 'constant' }),
        expect.objectContaining({ column: 'sparse', kind: 'high_null_share' }),
      ]),
    );

    // The structured answer the server built from those outputs is the stored result.
    const result = analysis.result as Json;
    expect(result.quality).toEqual(issuesOutput.issues);
    const trendTurn = fake.received.find(({ body }) =>
      body.messages.some((message) => message.tool_calls?.[0]?.function.name === 'trend'),
    );
    const trendOutput = JSON.parse(
      text(trendTurn?.body.messages.find((message) => message.role === 'tool')?.content),
    ) as { trends: Json[] };
    expect(result.trends).toEqual([expect.objectContaining(trendOutput.trends[0])]);
    expect(result.trends).toEqual([
      expect.objectContaining({ column: 'sales', direction: 'increasing' }),
    ]);
    expect(typeof result.summary).toBe('string');
  }, 60_000);

  it("logs the agents' spans at debug without their data, and never warns about a tracing key", () => {
    const spans = app.logs.filter((line) => line.context === 'AgentTracing' && 'spanType' in line);
    expect(spans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ spanType: 'generation', spanName: MODEL, level: 20 }),
        expect.objectContaining({ spanType: 'function', spanName: 'find_quality_issues' }),
        expect.objectContaining({ spanType: 'agent', spanName: 'profile' }),
      ]),
    );
    // One trace per analysis, grouped by its id, holding every agent's spans.
    const traces = app.logs.filter(
      (line) => line.context === 'AgentTracing' && line.groupId === firstAnalysisId,
    );
    expect(traces).toEqual([expect.objectContaining({ traceName: 'Sightline analysis' })]);
    const agents = spans.filter(
      (line) => line.spanType === 'agent' && line.traceId === traces[0]?.traceId,
    );
    expect(agents.map((line) => line.spanName).sort()).toEqual(
      ['anomalies', 'profile', 'segments', 'summary', 'text', 'trends'].sort(),
    );
    expect(JSON.stringify(app.logs)).not.toContain(DATA_MARKER);
    expect(consoleLines.filter((line) => line.includes('tracing exporter'))).toEqual([]);
  });

  it('sends each model call to OpenTelemetry as a chat span, token counts on its turn, never the data', async () => {
    await app.app.get(OpenTelemetryTracing).flush();
    const analysis = collector.spans.find(
      (span) => span.values['sightline.analysis.id'] === firstAnalysisId,
    );
    expect(analysis).toBeDefined();
    const trace = collector.spans.filter((span) => span.traceId === analysis?.traceId);
    const chats = trace.filter((span) => span.values['gen_ai.operation.name'] === 'chat');
    // Two model calls per agent (tools, then the answer), and two labelling passages.
    expect(chats).toHaveLength(14);
    for (const chat of chats) {
      expect(chat.name).toBe(`chat ${MODEL}`);
      expect(chat.values['gen_ai.request.model']).toBe(MODEL);
    }
    // The SDK counts tokens per turn (its Chat Completions model leaves them off the call).
    const turns = trace.filter((span) => span.values['openai.agents.span_type'] === 'turn');
    expect(turns).toHaveLength(12);
    for (const turn of turns) {
      expect(turn.values['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(turn.values['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    }
    expect(collector.requests.map((request) => request.body).join('')).not.toContain(DATA_MARKER);
  });

  it('records the metric a model chose, checked against the tool output it names', async () => {
    fake.mode = 'answer';
    fake.recordMetrics = true;
    const before = fake.received.length;
    try {
      const response = await analyse({ datasetId, agents: ['profile'] });
      expect(response.body.status).toBe('succeeded');
      const turns = fake.received.slice(before).map(({ body }) => body);
      const asked = turns
        .flatMap((body) => body.messages)
        .find((message) =>
          (message.tool_calls ?? []).some((call) => call.function.name === 'record_metric'),
        );
      const [valid, invented] = (asked?.tool_calls ?? []).map(
        (call) => JSON.parse(call.function.arguments) as { value: number; fromToolCallId: string },
      );
      // The made-up number went back to the model as the tool's error, and was not kept.
      const answers = turns.at(-1)?.messages.filter((message) => message.role === 'tool') ?? [];
      expect(answers.map((message) => text(message.content)).join('\n')).toContain(
        `987654.321 is not in the output of tool call ${invented?.fromToolCallId}`,
      );

      const metrics = await call(
        app.baseUrl,
        'GET',
        `/v1/metrics?analysisId=${String(response.body.id)}&limit=100`,
        { headers: { 'x-api-key': analyst } },
      );
      const data = metrics.body.data as Json[];
      expect(data.filter((metric) => String(metric.name).startsWith('fake.'))).toEqual([
        expect.objectContaining({
          name: 'fake.recorded',
          value: valid?.value,
          source: 'agent',
          agent: 'profile',
          toolCallId: valid?.fromToolCallId,
          dimensions: { by: 'fake' },
        }),
      ]);
    } finally {
      fake.recordMetrics = false;
    }
  }, 60_000);

  it('fails a specialist whose answer shows a number no tool returned, writing no metric of it', async () => {
    fake.mode = 'answer';
    fake.inventFor = 'find_quality_issues';
    fake.recordMetrics = true;
    try {
      const response = await analyse({ datasetId, agents: ['profile', 'trends'] });
      expect(response.body.status).toBe('succeeded');
      const agents = response.body.agents as Json[];
      expect(agents.find((agent) => agent.name === 'profile')).toMatchObject({
        status: 'failed',
        error: `output guardrail: the output shows ${INVENTED}, which no tool output holds`,
        errorCode: 'model-invented-number',
      });
      expect(agents.find((agent) => agent.name === 'trends')).toMatchObject({
        status: 'succeeded',
      });
      const result = response.body.result as Json;
      expect(JSON.stringify(result)).not.toContain(String(INVENTED));
      const metrics = await call(
        app.baseUrl,
        'GET',
        `/v1/metrics?analysisId=${String(response.body.id)}&limit=100`,
        { headers: { 'x-api-key': analyst } },
      );
      const written = metrics.body.data as Json[];
      // The trends agent's metrics are written, the failed profile agent's (its own and the
      // one its model recorded) are not.
      expect(written.map((metric) => metric.agent)).toContain('trends');
      expect(written.filter((metric) => metric.agent === 'profile')).toEqual([]);
    } finally {
      fake.inventFor = undefined;
      fake.recordMetrics = false;
    }
  }, 60_000);

  it.each([
    ['answers 500', 'error' as const, /failed: 500 the fake model is down$/],
    ['drops the connection', 'drop' as const, /failed: Connection error\.$/],
  ])(
    'fails every agent with a clear reason when the server %s',
    async (_label, mode, reason) => {
      fake.mode = mode;

      const response = await analyse({ datasetId, agents: ['profile', 'summary'] });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'failed',
        error: 'every agent failed',
        model: { provider: 'openai-compatible', name: MODEL },
      });
      const agents = response.body.agents as Array<{ name: string; status: string; error: string }>;
      expect(agents.map((agent) => [agent.name, agent.status])).toEqual([
        ['profile', 'failed'],
        ['summary', 'failed'],
      ]);
      for (const agent of agents) {
        expect(agent.error).toMatch(/^model call to openai-compatible local-test-model failed: /);
        expect(agent.error).toMatch(reason);
      }
      // The client's own retries (two) and nothing more.
      expect(fake.received.length).toBeGreaterThanOrEqual(2);
      expect(fake.received.length).toBeLessThanOrEqual(6);
    },
    60_000,
  );

  it('gives up on a server that never answers at the time limit, aborting its requests', async () => {
    fake.mode = 'hang';
    fake.abandoned = 0;

    const response = await analyse({ datasetId, agents: ['profile'] });

    expect(response.body).toMatchObject({ status: 'failed', error: 'every agent failed' });
    const agents = response.body.agents as Array<{ name: string; status: string; error: string }>;
    expect(agents).toEqual([
      expect.objectContaining({
        name: 'profile',
        status: 'failed',
        // The analysis' limit or the agent's own, whichever the orchestrator sees first.
        error: expect.stringMatching(/ran out of time|timed out/) as string,
      }),
    ]);
    // The abort reached the HTTP request: the client closed it rather than leave it open.
    await until('the request to be abandoned', () => (fake.abandoned > 0 ? true : undefined));
    expect(fake.received).toHaveLength(1);
    expect(fake.abandoned).toBe(1);
  }, 60_000);
});
