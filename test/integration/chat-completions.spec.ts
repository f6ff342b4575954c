import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, unknown>;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }>;
  tool_call_id?: string;
}

interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ type: 'function'; function: { name: string; parameters: JsonSchema } }>;
  response_format?: { type: string; json_schema?: { name: string; schema: JsonSchema } };
  stream?: boolean;
}

interface Received {
  body: ChatRequest;
  authorization: string | undefined;
}

type Mode = 'answer' | 'error' | 'drop' | 'hang';

/**
 * A small, honest stand-in for an LLM behind the Chat Completions protocol
 * (`POST /v1/chat/completions`, non-streaming JSON):
 * - with no `tool` message in the conversation, it calls every offered tool whose
 *   arguments it can fill from the tool's JSON schema (first enum value, the field of the
 *   same name in the user's JSON brief, `null` where allowed, the brief's text for a string);
 * - once tool results are in, it answers with JSON for the `response_format` schema, each
 *   property taken from the tools' outputs (arrays concatenated, first scalar kept), so
 *   every number in its answer is a tool's.
 * With `recordMetrics`, before answering it calls `record_metric` (when offered) twice: with
 * the first number of the first tool output, naming that call, and with a number no tool
 * returned. It records every request. `error` answers 500; `drop` cuts the connection (as a server
 * that went away); `hang` never answers, counting the requests the client gave up on.
 */
class FakeChatServer {
  readonly received: Received[] = [];
  mode: Mode = 'answer';
  recordMetrics = false;
  abandoned = 0;
  private calls = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return send(response, 404, { error: { message: `no route ${request.url}` } });
    }
    const body = JSON.parse(raw) as ChatRequest;
    this.received.push({ body, authorization: request.headers.authorization });
    if (this.mode === 'drop') {
      request.socket.destroy();
      return;
    }
    if (this.mode === 'hang') {
      response.on('close', () => {
        if (!response.writableEnded) this.abandoned += 1;
      });
      return;
    }
    if (this.mode === 'error') {
      return send(response, 500, {
        error: { message: 'the fake model is down', type: 'server_error' },
      });
    }
    if (body.stream === true) {
      return send(response, 400, { error: { message: 'this server does not stream' } });
    }
    const message = this.reply(body);
    const completion = JSON.stringify(message);
    send(response, 200, {
      id: `chatcmpl-fake-${this.received.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message,
          finish_reason: message.tool_calls === undefined ? 'stop' : 'tool_calls',
          logprobs: null,
        },
      ],
      // A rough count (4 characters a token), so usage is seen to travel back.
      usage: {
        prompt_tokens: Math.ceil(raw.length / 4),
        completion_tokens: Math.ceil(completion.length / 4),
        total_tokens: Math.ceil(raw.length / 4) + Math.ceil(completion.length / 4),
      },
    });
  }

  private reply(body: ChatRequest): ChatMessage {
    const results = body.messages.filter((message) => message.role === 'tool');
    if (results.length === 0) {
      const brief = readBrief(body.messages);
      const calls = (body.tools ?? []).flatMap((tool) => {
        const args = argumentsFor(tool.function.parameters, brief);
        if (args === undefined) return [];
        this.calls += 1;
        return [
          {
            id: `call_fake_${this.calls}_${tool.function.name}`,
            type: 'function' as const,
            function: { name: tool.function.name, arguments: JSON.stringify(args) },
          },
        ];
      });
      if (calls.length > 0) return { role: 'assistant', content: null, tool_calls: calls };
    }
    const recorded = body.messages.some((message) =>
      (message.tool_calls ?? []).some((call) => call.function.name === 'record_metric'),
    );
    const offered = (body.tools ?? []).some((tool) => tool.function.name === 'record_metric');
    if (this.recordMetrics && offered && !recorded && results.length > 0) {
      const first = results[0];
      const value = Number(/\d+(?:\.\d+)?/.exec(text(first?.content))?.[0] ?? 0);
      const record = (name: string, number: number) => ({
        id: `call_fake_${(this.calls += 1)}_record_metric`,
        type: 'function' as const,
        function: {
          name: 'record_metric',
          arguments: JSON.stringify({
            name,
            value: number,
            unit: null,
            dimensions: [{ key: 'by', value: 'fake' }],
            fromToolCallId: first?.tool_call_id,
          }),
        },
      });
      return {
        role: 'assistant',
        content: null,
        tool_calls: [record('fake.recorded', value), record('fake.invented', 987654.321)],
      };
    }
    const outputs = results.map((result) => parse(text(result.content)));
    const schema = body.response_format?.json_schema?.schema;
    return {
      role: 'assistant',
      content: JSON.stringify(schema === undefined ? outputs : fill(schema, outputs)),
    };
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function text(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

function parse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBrief(messages: ChatMessage[]): Json {
  const user = messages.find((message) => message.role === 'user');
  const parsed = parse(text(user?.content));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : { text: parsed };
}

function types(schema: JsonSchema): string[] {
  const own = Array.isArray(schema.type) ? schema.type : [schema.type ?? ''];
  return [...own, ...(schema.anyOf ?? []).flatMap(types)];
}

function enumOf(schema: JsonSchema): unknown[] | undefined {
  return schema.enum ?? schema.anyOf?.find((option) => option.enum !== undefined)?.enum;
}

function argumentsFor(schema: JsonSchema, brief: Json): Json | undefined {
  const args: Json = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const choices = enumOf(property);
    if (choices !== undefined) args[name] = choices[0];
    else if (name in brief) args[name] = brief[name];
    else if (types(property).includes('null')) args[name] = null;
    else if (types(property).includes('string')) args[name] = JSON.stringify(brief);
    else return undefined;
  }
  return args;
}

function fill(schema: JsonSchema, outputs: unknown[]): unknown {
  const kinds = types(schema);
  if (kinds.includes('object') && schema.properties !== undefined) {
    const objects = outputs.filter(
      (output): output is Json => typeof output === 'object' && output !== null,
    );
    return Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        fill(
          property,
          objects.filter((output) => name in output).map((output) => output[name]),
        ),
      ]),
    );
  }
  if (kinds.includes('array')) return outputs.flatMap((output) => output);
  if (outputs.length > 0) return outputs[0];
  if (kinds.includes('null')) return null;
  const choices = enumOf(schema);
  if (choices !== undefined) return choices[0];
  if (kinds.includes('string')) return '';
  if (kinds.includes('boolean')) return false;
  return 0;
}

const MODEL = 'local-test-model';
/** Short enough for a hanging server to fail the analysis soon, long for the others. */
const ANALYSIS_TIMEOUT_SECONDS = 8;
/** A word only the dataset holds: it may reach the model, never the logs. */
const DATA_MARKER = 'quokka';

describe('agents on an OpenAI-compatible server over real HTTP (Chat Completions)', () => {
  const fake = new FakeChatServer();
  let app: TestApp;
  let analyst: string;
  let datasetId: string;
  let consoleLines: string[];

  beforeAll(async () => {
    const baseUrl = await fake.start();
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
      },
    });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const lines = ['day,sales,flat,sparse,comment'];
    for (let d = 0; d < 30; d++) {
      const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      const comment = d % 2 === 0 ? `great ${DATA_MARKER} service` : 'awful delay';
      lines.push(`${day},${100 + 2 * d + (d % 3)},7,${d % 3 === 0 ? d : ''},${comment}`);
    }
    const uploaded = await uploadCsv(app, analyst, `${lines.join('\n')}\n`);
    expect(uploaded.status).toBe(201);
    datasetId = String(uploaded.body.id);
  });

  afterAll(async () => {
    await app.close();
    await fake.stop();
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
      model: { provider: 'openai-compatible', name: MODEL, sdkVersion: '0.14.3' },
      error: null,
    });
    const agents = analysis.agents as Array<{ name: string; status: string; usage: Json }>;
    expect(agents.map((agent) => [agent.name, agent.status])).toEqual([
      ['profile', 'succeeded'],
      ['trends', 'succeeded'],
      ['anomalies', 'succeeded'],
      ['text', 'succeeded'],
      ['summary', 'succeeded'],
    ]);
    // Two model calls per agent (tools, then the answer), with the server's token counts.
    for (const agent of agents) {
      expect(agent.usage).toMatchObject({ requests: 2 });
      expect(agent.usage.inputTokens).toBeGreaterThan(0);
    }

    // What went over the wire: the configured model, Chat Completions without streaming,
    // no GPT-5-only settings, and the placeholder key (never an OpenAI key).
    expect(fake.received).toHaveLength(10);
    for (const { body, authorization } of fake.received) {
      expect(body.model).toBe(MODEL);
      expect(body.stream).not.toBe(true);
      expect(body).not.toHaveProperty('reasoning_effort');
      expect(body).not.toHaveProperty('verbosity');
      expect(authorization).toBe('Bearer local');
      expect(body.response_format).toMatchObject({ type: 'json_schema' });
    }

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
      ['anomalies', 'profile', 'summary', 'text', 'trends'].sort(),
    );
    expect(JSON.stringify(app.logs)).not.toContain(DATA_MARKER);
    expect(consoleLines.filter((line) => line.includes('tracing exporter'))).toEqual([]);
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
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.received).toHaveLength(1);
    expect(fake.abandoned).toBe(1);
  }, 60_000);
});
