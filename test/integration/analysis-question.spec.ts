import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const SEATTLE = join(__dirname, '..', '..', 'node_modules', 'vega-datasets', 'data');

/** The first sentence of a narrative (up to the first ". " that ends one). */
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

describe('a question steers the analysis (builtin model, the real runner, PostgreSQL)', () => {
  let app: TestApp;
  let analyst: string;
  let datasetId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const csv = readFileSync(join(SEATTLE, 'seattle-weather.csv'));
    const uploaded = await uploadCsv(app, analyst, csv);
    expect(uploaded.status).toBe(201);
    datasetId = String(uploaded.body.id);
  });
  afterAll(async () => {
    await app.close();
  });

  const analyse = async (body: Json) => {
    const response = await call(app.baseUrl, 'POST', '/v1/analyses?wait=60', {
      headers: { 'x-api-key': analyst },
      body: { datasetId, ...body },
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('succeeded');
    return response.body;
  };

  it('answers "how did temperatures change, and were there unusual days?" about temperatures', async () => {
    const analysis = await analyse({
      question: 'How did temperatures change, and were there unusual days?',
    });
    const result = analysis.result as Json;

    expect(result.focus).toEqual({
      columns: ['temp_max', 'temp_min'],
      specialists: ['trends', 'anomalies'],
      confidence: 0.75,
      narrow: true,
    });
    // Narrow: the specialists it names (and profile) ran, on the columns it names.
    expect((analysis.agents as Json[]).map((agent) => agent.name).sort()).toEqual([
      'anomalies',
      'profile',
      'summary',
      'trends',
    ]);
    const columnsOf = (items: unknown) =>
      [...new Set((items as Json[]).map((item) => item.column))].sort();
    expect(columnsOf(result.trends)).toEqual(['temp_max', 'temp_min']);
    expect(columnsOf(result.anomalies)).not.toContain('precipitation');

    const first = firstSentence(String(result.summary));
    // Trends first (asked first), then the anomalies, of both temperatures and nothing else.
    expect(first).toMatch(/^temp_max .*temp_min .*; .*unusual rows? in temp_max/);
    expect(first).not.toMatch(/precipitation|wind/);
    // Each trend it states with the trend's own p-value, at 3 significant digits.
    for (const trend of result.trends as Json[]) {
      const p = String(Number(Number(trend.pValue).toPrecision(3)));
      expect(first).toMatch(new RegExp(`${String(trend.column)} [^;]*\\(p = ${p}\\)`));
    }
    // The summary passed the numbers-from-tools guardrail (else it would have failed).
    const summary = (analysis.agents as Json[]).find((agent) => agent.name === 'summary');
    expect(summary?.status).toBe('succeeded');
  }, 120_000);

  it('without a question, or with one it cannot place, runs every specialist that applies on every column', async () => {
    for (const question of [undefined, 'What should I cook tonight?']) {
      const analysis = await analyse(question === undefined ? {} : { question });
      const result = analysis.result as Json;
      // Not `text`: the weather column is categorical codes, not prose.
      expect((analysis.agents as Json[]).map((agent) => agent.name).sort()).toEqual([
        'anomalies',
        'profile',
        'segments',
        'summary',
        'trends',
      ]);
      const columns = [...new Set((result.trends as Json[]).map((t) => t.column))].sort();
      expect(columns).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
      expect(String(result.summary)).toMatch(/^Analysed: /);
    }
  }, 120_000);

  it('answers "what was the average max temperature on rainy days?" with a query, first in the summary', async () => {
    const analysis = await analyse({
      question: 'What was the average max temperature on rainy days?',
    });
    const result = analysis.result as Json;
    const answer = result.answer as Json;

    // Computed from the CSV by hand: 641 rainy days, their temp_max averages 13.4546.
    const cells = (answer.result as Json).rows as unknown[][];
    expect(
      cells.flat().some((cell) => typeof cell === 'number' && cell.toFixed(4) === '13.4546'),
    ).toBe(true);
    expect(answer.query).toMatchObject({
      filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
    });
    expect((answer.query as Json).measures).toContainEqual({ agg: 'avg', column: 'temp_max' });
    // The summary opens with the answer, and passed the numbers-from-tools guardrail.
    expect(String(answer.text)).toContain('13.45');
    expect(String(result.summary).startsWith(String(answer.text))).toBe(true);
    const summary = (analysis.agents as Json[]).find((agent) => agent.name === 'summary');
    expect(summary?.status).toBe('succeeded');
    // The answer step is not an agent: the agents are those a question naming no kind runs.
    expect((analysis.agents as Json[]).map((agent) => agent.name)).not.toContain('answer');
  }, 120_000);

  it('a question the planner refuses leaves no answer, and the analysis succeeds', async () => {
    const analysis = await analyse({ question: 'What should I cook tonight?' });
    const result = analysis.result as Json;
    expect(result.answer).toBeNull();
    expect(String(result.summary)).toMatch(/^Analysed: /);
  }, 120_000);
});
