import { type OrganizationId } from '@app/tenancy';
import { runAnalysis, SEGMENT_SAMPLE_ROWS, segmentsAgent } from '@app/analysis';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { Runner } from '@openai/agents';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisContextOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const SEATTLE_WEATHER = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  'vega-datasets',
  'data',
  'seattle-weather.csv',
);

/** A deterministic pseudo-random sequence (LCG) in [0, 1), so a file is the same every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

describe('segments agent (builtin model, real runner, real SQL)', () => {
  let app: TestApp;
  let factory: Factory;
  let organizationId: OrganizationId;
  let key: string;
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });

  beforeAll(async () => {
    app = await startTestApp();
    factory = new Factory(app.app);
    organizationId = (await factory.newOrganization()).organizationId;
    key = (await factory.newApiKey(organizationId, 'analyst')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const contextOf = (csv: string) => analysisContextOf(app, organizationId, key, csv);

  it('finds that temp_max is 6.41 higher on sun days than on rain days in Seattle', async () => {
    const context = await contextOf(readFileSync(SEATTLE_WEATHER, 'utf8'));
    const result = await runner.run(segmentsAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context,
    });
    const segments = result.finalOutput?.segments ?? [];
    const tempMax = segments.find((s) => s.kind === 'group_difference' && s.column === 'temp_max');
    // Means of the file, independently (SciPy): sun 19.861875 over 640 days, rain 13.454602 over 641.
    expect(tempMax).toMatchObject({
      by: 'weather',
      highest: 'sun',
      lowest: 'rain',
      test: 'kruskal_wallis',
      adjustment: 'holm',
      tests: 4 + 6,
      n: 1461,
      levels: 5,
      sampled: false,
      toolCallId: expect.stringMatching(/find_segments/),
    });
    expect(tempMax?.difference).toBeCloseTo(6.407272815912638, 9);
    expect(tempMax?.contrast?.n).toBe(640 + 641);
    expect(tempMax?.adjustedPValue).toBeLessThan(0.001);
    expect(tempMax?.description).toContain(
      'temp_max averages 6.41 higher when weather is sun than when it is rain (19.9 vs 13.5, n = 1,281)',
    );
    // One call per numeric column, each returning the findings about its column.
    expect(new Set(segments.map((s) => s.toolCallId)).size).toBeGreaterThan(1);
    expect(segments.some((s) => s.kind === 'correlation' && s.with === 'temp_min')).toBe(true);
  });

  it('reports nothing where the groups do not differ: the comparisons are adjusted', async () => {
    // Labels drawn independently of the values: 4 categorical × 4 numeric columns and 6
    // numeric pairs, 22 tests, each with a 5 % chance of p < 0.05 unadjusted.
    const random = lcg(2024);
    const lines = ['a,b,c,d,u,v,w,x'];
    for (let i = 0; i < 2000; i++) {
      const label = () => ['red', 'green', 'blue', 'grey', 'pink'][Math.floor(random() * 5)];
      const value = () => (random() * 100).toFixed(3);
      lines.push(
        [label(), label(), label(), label(), value(), value(), value(), value()].join(','),
      );
    }
    const context = await contextOf(`${lines.join('\n')}\n`);
    const result = await runner.run(segmentsAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context,
    });
    expect(result.finalOutput?.segments).toEqual([]);
  });

  it('samples a large table uniformly and says so', async () => {
    const random = lcg(99);
    const rows = 30_000;
    const lines = ['shop,basket'];
    for (let i = 0; i < rows; i++) {
      const shop = random() < 0.5 ? 'city' : 'mall';
      lines.push(`${shop},${((shop === 'mall' ? 10 : 0) + random() * 40).toFixed(2)}`);
    }
    const context = await contextOf(`${lines.join('\n')}\n`);
    const result = await runner.run(segmentsAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context,
    });
    const [finding] = result.finalOutput?.segments ?? [];
    expect(finding).toMatchObject({ column: 'basket', by: 'shop', highest: 'mall', sampled: true });
    // A Bernoulli sample of about SEGMENT_SAMPLE_ROWS (its count varies by a few hundred).
    expect(Math.abs((finding?.n ?? 0) - SEGMENT_SAMPLE_ROWS)).toBeLessThan(600);
    expect(finding?.difference).toBeGreaterThan(9);
    expect(finding?.difference).toBeLessThan(11);
    expect(finding?.description).toContain('in a uniform sample of rows of the 30,000');
  });

  it('answers a question about groups with the segment, numbers from the tools', async () => {
    const context = await contextOf(readFileSync(SEATTLE_WEATHER, 'utf8'));
    const outcome = await runAnalysis({
      runner,
      model: BUILTIN_MODEL_NAME,
      brief: { datasetId: context.dataset.id, question: 'How does temp_max differ by weather?' },
      context,
      agentTimeoutMs: 20_000,
    });
    expect(outcome.agents.map((run) => [run.agent, run.status])).toEqual([
      ['profile', 'succeeded'],
      ['segments', 'succeeded'],
      ['summary', 'succeeded'],
    ]);
    expect(outcome.summary?.narrative).toMatch(
      /^temp_max averages 6\.41 higher when weather is sun than when it is rain \(n = 1,281\)\./,
    );
    expect(outcome.summary?.insights.map((insight) => insight.title)).toContain(
      'temp_max differs by weather',
    );
  });
});
