import { type OrganizationId } from '@app/tenancy';
import { type AnalysisContext, runAnalysis } from '@app/analysis';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { Runner } from '@openai/agents';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisContextOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const SEATTLE = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  'vega-datasets',
  'data',
  'seattle-weather.csv',
);

/** Reviews with a known side, and a categorical column beside them. */
const REVIEWS: Array<[string, string, 'positive' | 'negative']> = [
  ['north', 'The staff were friendly and the room was spotless.', 'positive'],
  ['south', 'Breakfast was cold and the coffee tasted burnt.', 'negative'],
  ['north', 'We will definitely be back next summer!', 'positive'],
  ['south', 'I would not recommend this hotel to anyone.', 'negative'],
  ['north', 'Great location, lovely view of the harbour.', 'positive'],
  ['south', 'The bathroom was dirty and the towels smelled awful.', 'negative'],
];

describe('text only where there is prose (builtin model, real runner, real SQL)', () => {
  let app: TestApp;
  let analyst: string;
  let organizationId: OrganizationId;
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    organizationId = org.organizationId;
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const contextOf = (csv: string) => analysisContextOf(app, organizationId, analyst, csv);

  const analyse = (context: AnalysisContext) =>
    runAnalysis({
      runner,
      model: BUILTIN_MODEL_NAME,
      brief: { datasetId: context.dataset.id },
      context,
      agentTimeoutMs: 30_000,
    });

  it("reads no text in Seattle's weather: its weather column is categorical codes", async () => {
    const context = await contextOf(readFileSync(SEATTLE, 'utf8'));
    expect(context.dataset.columns.find((c) => c.name === 'weather')?.type).toBe('string');

    const outcome = await analyse(context);

    expect(outcome.agents.map((run) => run.agent)).not.toContain('text');
    expect(outcome.results.text).toBeUndefined();
    expect(outcome.agents.find((run) => run.agent === 'summary')?.status).toBe('succeeded');
  });

  it('reads the review column, not the categorical one beside it, passage by passage', async () => {
    const csv = [
      'branch,review',
      ...REVIEWS.map(([branch, review]) => `${branch},"${review}"`),
    ].join('\n');
    const context = await contextOf(`${csv}\n`);

    const outcome = await analyse(context);

    expect(outcome.agents.find((run) => run.agent === 'text')?.status).toBe('succeeded');
    const documents = outcome.results.text?.documents ?? [];
    expect(documents.map((d) => d.source)).toEqual(['review']);
    expect(documents[0]?.passages.map((p) => [p.index, p.label])).toEqual(
      REVIEWS.map(([, , side], index) => [index, side]),
    );
    expect(documents[0]?.counts).toEqual({ positive: 3, negative: 3, neutral: 0 });
  });
});
