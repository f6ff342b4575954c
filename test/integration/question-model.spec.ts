import { uploadCsv } from '../support/datasets';
import { call, Factory, type TestOrganization } from '../support/factory';
import {
  type ChatMessage,
  type ChatRequest,
  FakeChatServer,
  text,
} from '../support/fake-chat-server';
import { questionCount } from '../support/questions';
import { startTestApp, type TestApp } from '../support/test-app';

const MODEL = 'local-test-model';
/** North's sales: 10 + 30 + 50. */
const NORTH_SALES = 90;
const CSV = [
  'day,sales,region',
  '2025-01-01,10,north',
  '2025-01-02,20,south',
  '2025-01-03,30,north',
  '2025-01-04,40,south',
  '2025-01-05,50,north',
].join('\n');

/** North's total sales as a model fills the schema in strict mode: every member, absent ones null. */
function salesQuery(column: string) {
  return {
    select: null,
    measures: [{ agg: 'sum', column, as: 'north_sales' }],
    groupBy: null,
    filters: [{ column: 'region', op: 'eq', value: 'north' }],
    compare: null,
    orderBy: null,
    limit: null,
  };
}

const toolMessages = (body: ChatRequest) =>
  body.messages.filter((message) => message.role === 'tool');

function runQuery(id: string, args: unknown): ChatMessage {
  return {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id, type: 'function', function: { name: 'run_query', arguments: JSON.stringify(args) } },
    ],
  };
}

/** The first number of the last tool output: what an honest answer quotes. */
function lastResultNumber(body: ChatRequest): number {
  const output = JSON.parse(text(toolMessages(body).at(-1)?.content)) as { rows: number[][] };
  return output.rows[0]?.[0] ?? NaN;
}

/**
 * Questions read by the `ask` agent on a model: the SDK's real runner against a Chat
 * Completions stand-in over HTTP, scripted as a model would answer, with the real
 * compiler, read-only repository and storage behind `run_query`.
 */
describe('questions answered by a model (a Chat Completions stand-in)', () => {
  const fake = new FakeChatServer();
  let app: TestApp;
  let home: TestOrganization;
  let datasetId: string;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    app = await startTestApp({
      env: {
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: baseUrl,
        LLM_MODEL: MODEL,
        QUESTIONS_PLANNER: 'model',
        RATE_LIMIT_EXPENSIVE_LIMIT: '10000',
      },
    });
    home = await new Factory(app.app).newOrganization();
    const uploaded = await uploadCsv(app, home.adminKey, `${CSV}\n`);
    expect(uploaded.status).toBe(201);
    datasetId = String(uploaded.body.id);
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.received.length = 0;
    fake.script = undefined;
    fake.mode = 'answer';
  });

  const ask = (question: string) =>
    call(app.baseUrl, 'POST', `/v1/datasets/${datasetId}/questions`, {
      headers: { 'x-api-key': home.adminKey },
      body: { question },
    });

  it('fills the query through run_query and stores the answer with the call id', async () => {
    fake.script = (body) =>
      toolMessages(body).length === 0
        ? runQuery('call_sales_1', salesQuery('sales'))
        : { role: 'assistant', content: `North sold ${lastResultNumber(body)} in all.` };

    const response = await ask('What did the north sell?');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      answer: `North sold ${NORTH_SALES} in all.`,
      query: {
        measures: [{ agg: 'sum', column: 'sales', as: 'north_sales' }],
        filters: [{ column: 'region', op: 'eq', value: 'north' }],
        limit: 1000,
      },
      result: { columns: [{ name: 'north_sales' }], rows: [[NORTH_SALES]] },
      model: { provider: 'openai-compatible', name: MODEL },
      toolCallId: 'call_sales_1',
      readings: [],
    });
    // Two model calls (the query, then the answer), their tokens counted as the fake counts them.
    const usage = response.body.usage as Record<string, number>;
    expect(usage.requests).toBe(2);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
    // The model saw the dataset's columns and was offered the query's schema.
    const [first] = fake.received;
    expect(text(first?.body.messages.find((m) => m.role === 'user')?.content)).toContain(
      '"region"',
    );
    const offered = first?.body.tools?.map((tool) => tool.function.name);
    expect(offered).toEqual(['run_query']);
    expect(Object.keys(first?.body.tools?.[0]?.function.parameters.properties ?? {})).toContain(
      'measures',
    );

    const listed = await call(app.baseUrl, 'GET', `/v1/datasets/${datasetId}/questions`, {
      headers: { 'x-api-key': home.adminKey },
    });
    const stored = (listed.body.data as Array<Record<string, unknown>>).find(
      (question) => question.id === response.body.id,
    );
    expect(stored).toMatchObject({
      toolCallId: 'call_sales_1',
      answer: response.body.answer,
      usage: response.body.usage,
    });
  });

  it('gives a wrong column back to the model, which corrects it once', async () => {
    fake.script = (body) => {
      const results = toolMessages(body);
      if (results.length === 0) return runQuery('call_wrong', salesQuery('revenue'));
      if (results.length === 1) return runQuery('call_right', salesQuery('sales'));
      return { role: 'assistant', content: `North sold ${lastResultNumber(body)}.` };
    };

    const response = await ask('What did the north sell?');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ toolCallId: 'call_right', result: { rows: [[90]] } });
    // The second request carries the first call's output: the compiler's error, as text.
    const [, second] = fake.received;
    const error = second === undefined ? '' : text(toolMessages(second.body)[0]?.content);
    expect(error).toMatch(/^Error: The query does not fit the dataset: .*revenue/);
  });

  it('refuses with a 422 when the correction fails too, storing nothing', async () => {
    const before = await questionCount(app, home.organizationId);
    fake.script = (body) =>
      runQuery(`call_wrong_${toolMessages(body).length}`, salesQuery('revenue'));

    const response = await ask('What did the north sell?');

    expect(response.status).toBe(422);
    expect(String(response.body.detail)).toMatch(
      /^The model could not answer: the model's query did not fit the dataset after 1 correction/,
    );
    expect(fake.received).toHaveLength(2);
    expect(await questionCount(app, home.organizationId)).toBe(before);
  });

  it('refuses an answer with a number not in the result', async () => {
    const before = await questionCount(app, home.organizationId);
    fake.script = (body) =>
      toolMessages(body).length === 0
        ? runQuery('call_sales_2', salesQuery('sales'))
        : { role: 'assistant', content: 'North sold 987654 in all.' };

    const response = await ask('What did the north sell?');

    expect(response.status).toBe(422);
    expect(response.body.detail).toBe(
      "The model could not answer: the model's answer had a number not in the result",
    );
    expect(await questionCount(app, home.organizationId)).toBe(before);
  });

  it('answers 503 model-unavailable with Retry-After when the model is down', async () => {
    const before = await questionCount(app, home.organizationId);
    fake.mode = 'error';

    const response = await ask('What did the north sell?');

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      type: '/problems/model-unavailable',
      detail: 'The model could not be reached; try again shortly',
    });
    expect(response.headers.get('retry-after')).toBe('10');
    expect(await questionCount(app, home.organizationId)).toBe(before);
  });
});
