import {
  anomaliesAgent,
  type AnalysisContext,
  type AnalysisRequest,
  runAnalysis,
  profileAgent,
  textAgent,
  toolScans,
  trendsAgent,
} from '@app/analysis';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { Runner } from '@openai/agents';
import { analysisContextOf, readOnlyQueryOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const DAYS = 120;
const SLOPE = 2.5; // sales per day, planted

/** A deterministic pseudo-random sequence (LCG), so the file is the same every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

describe('analysis agents on a stored dataset (builtin model, real runner, real SQL)', () => {
  let app: TestApp;
  let context: AnalysisContext;
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });
  const sales: Array<[number, number]> = [];

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const random = noise(7);
    const lines = ['day,sales,wobble,flat,id,sparse'];
    for (let d = 0; d < DAYS; d++) {
      const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      const planted = d === 30 ? 200 : d === 80 ? -150 : 0;
      const value = 100 + SLOPE * d + random() * 20 + planted;
      sales.push([d, value]);
      const sparse = d % 3 === 0 ? String(d % 5) : '';
      lines.push(
        `${day},${value.toFixed(3)},${(random() * 50).toFixed(3)},7,${1000 + d},${sparse}`,
      );
    }
    context = await analysisContextOf(
      app,
      org.organizationId,
      analyst,
      `${lines.join('\n')}\n`,
      5000,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs the specialists in parallel and reports the planted quality issues and trend', async () => {
    const brief = JSON.stringify({ datasetId: context.dataset.id });
    const [profile, trends] = await Promise.all([
      runner.run(profileAgent(BUILTIN_MODEL_NAME), brief, { context }),
      runner.run(trendsAgent(BUILTIN_MODEL_NAME, context.dataset), brief, { context }),
    ]);

    const issues = (profile.finalOutput?.issues ?? []).map(
      (i) => `${i.column}:${i.kind}:${i.severity}`,
    );
    expect(issues.sort()).toEqual(
      ['flat:constant:warning', 'id:suspected_id:info', 'sparse:high_null_share:high'].sort(),
    );
    expect(profile.finalOutput?.rowCount).toBe(DAYS);

    const byColumn = new Map((trends.finalOutput?.trends ?? []).map((t) => [t.column, t]));
    expect([...byColumn.keys()].sort()).toEqual(['flat', 'id', 'sales', 'sparse', 'wobble']);
    const salesTrend = byColumn.get('sales');
    expect(salesTrend?.direction).toBe('increasing');
    expect(salesTrend?.pValue).toBeLessThan(0.001);
    expect(salesTrend?.n).toBe(DAYS);
    // Theil-Sen on the series: within 0.1 a day of the planted slope despite the two outliers.
    expect(Math.abs((salesTrend?.slopePerDay ?? 0) - SLOPE)).toBeLessThan(0.1);
    expect(byColumn.get('wobble')?.direction).toBe('none');
    expect(byColumn.get('flat')?.direction).toBe('none');
  });

  it('finds the planted anomalies on the remainder, with time, expected value and band', async () => {
    const result = await runner.run(
      anomaliesAgent(BUILTIN_MODEL_NAME, context.dataset),
      JSON.stringify({ datasetId: context.dataset.id }),
      { context },
    );
    const all = result.finalOutput?.anomalies ?? [];
    // The planted two, first: they outscore anything else by far.
    const found = all.filter((a) => a.column === 'sales').slice(0, 2);
    expect(found.map((a) => [a.row, a.kind, a.time])).toEqual([
      [31, 'spike', '2025-01-31T00:00:00.000Z'],
      [81, 'dip', '2025-03-22T00:00:00.000Z'],
    ]);
    // Nothing else, ends included: a noisy line and a steadily rising id have no anomaly.
    expect(all.map((a) => [a.column, a.row])).toEqual([
      ['sales', 31],
      ['sales', 81],
    ]);
    for (const anomaly of found) {
      expect(anomaly.basis).toBe('remainder');
      const [, value] = sales[anomaly.row - 1];
      expect(anomaly.value).toBeCloseTo(value, 3);
      // Expected: the line without the planted jump, within the noise (±10).
      expect(Math.abs((anomaly.expected ?? 0) - (100 + SLOPE * (anomaly.row - 1)))).toBeLessThan(
        15,
      );
      expect(anomaly.band?.low).toBeLessThan(anomaly.expected ?? NaN);
      expect(anomaly.band?.high).toBeGreaterThan(anomaly.expected ?? NaN);
      expect(
        anomaly.value < (anomaly.band?.low ?? 0) || anomaly.value > (anomaly.band?.high ?? 0),
      ).toBe(true);
    }
    expect(result.finalOutput?.anomalyColumns.find((c) => c.column === 'sales')).toMatchObject({
      found: all.filter((a) => a.column === 'sales').length,
      truncated: false,
      distribution: 'symmetric',
    });
  });

  it('tests the values themselves when there is no time column', async () => {
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    const key = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const values = Array.from({ length: 40 }, (_, i) => (i === 17 ? 500 : 10 + (i % 7)));
    const csv = `reading\n${values.join('\n')}\n`;
    const own = await analysisContextOf(app, org.organizationId, key, csv, 5000);
    const { dataset } = own;
    const result = await runner.run(anomaliesAgent(BUILTIN_MODEL_NAME, dataset), '{}', {
      context: own,
    });
    expect(result.finalOutput?.anomalies).toEqual([
      expect.objectContaining({
        column: 'reading',
        row: 18,
        value: 500,
        basis: 'value',
        kind: 'value',
        time: null,
      }),
    ]);
    expect(result.finalOutput?.anomalyColumns).toEqual([
      expect.objectContaining({ column: 'reading', found: 1, distribution: 'symmetric' }),
    ]);
  });

  it('reads a text column: sentiment per value, from the stored rows', async () => {
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    const key = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const csv =
      'id,comment\n1,"Wonderful service, I love it!"\n2,\n3,"Terrible, broken and awful."\n';
    const own = await analysisContextOf(app, org.organizationId, key, csv, 5000);
    const { dataset } = own;
    const result = await runner.run(textAgent(BUILTIN_MODEL_NAME, dataset), '{}', { context: own });
    expect(result.finalOutput?.documents.map((d) => d.source)).toEqual(['comment']);
    expect(result.finalOutput?.documents[0]?.passages.map((p) => p.label)).toEqual([
      'positive',
      'negative',
    ]);
  });

  describe('runAnalysis', () => {
    const request = (overrides: Partial<AnalysisRequest> = {}): AnalysisRequest => ({
      runner,
      model: BUILTIN_MODEL_NAME,
      brief: { datasetId: context.dataset.id },
      context,
      agentTimeoutMs: 10_000,
      ...overrides,
    });

    it('runs the specialists in parallel, then the summary over their results', async () => {
      const events: string[] = [];
      const outcome = await runAnalysis(
        request({
          onEvent: (event) =>
            events.push(
              event.type === 'agent.started' ? `start ${event.agent}` : `end ${event.run.agent}`,
            ),
        }),
      );
      expect(outcome.agents.map((run) => [run.agent, run.status])).toEqual([
        ['profile', 'succeeded'],
        ['trends', 'succeeded'],
        ['anomalies', 'succeeded'],
        ['segments', 'succeeded'],
        ['summary', 'succeeded'],
      ]);
      // All four specialists start before any of them ends; the summary starts last.
      expect(events.slice(0, 4).sort()).toEqual([
        'start anomalies',
        'start profile',
        'start segments',
        'start trends',
      ]);
      expect(events.slice(-2)).toEqual(['start summary', 'end summary']);
      const titles = outcome.summary?.insights.map((insight) => insight.title) ?? [];
      expect(titles).toEqual(
        expect.arrayContaining([
          'sales is increasing',
          expect.stringMatching(/anomalies in sales$/),
        ]),
      );
      expect(outcome.summary?.narrative).toContain(`${DAYS} rows`);
      for (const run of outcome.agents) expect(run.usage.requests).toBeGreaterThan(0);
    });

    it('records a failing or slow specialist as failed, with the reason, and finishes the rest', async () => {
      // Trends and anomalies share one read of the series: it breaks, or is slow, for both.
      const seriesRead = (text: string) => text.includes('GROUP BY t ORDER BY t');
      const query = readOnlyQueryOf(app);
      const failing: AnalysisContext = {
        ...context,
        ...toolScans(async <Row>(text: string, values?: unknown[]): Promise<Row[]> => {
          if (seriesRead(text)) throw new Error('the series query broke');
          return query<Row>(text, values);
        }),
      };
      const outcome = await runAnalysis(request({ context: failing }));
      const byAgent = new Map(outcome.agents.map((run) => [run.agent, run]));
      expect(byAgent.get('profile')?.status).toBe('succeeded');
      expect(byAgent.get('trends')).toMatchObject({ status: 'failed' });
      expect(byAgent.get('anomalies')).toMatchObject({ status: 'failed' });
      expect(byAgent.get('summary')?.status).toBe('succeeded');
      expect(outcome.results.failed.map((f) => f.agent).sort()).toEqual(['anomalies', 'trends']);
      expect(outcome.summary?.narrative).toContain('2 specialist(s) failed');

      const slow: AnalysisContext = {
        ...context,
        ...toolScans(async <Row>(text: string, values?: unknown[]): Promise<Row[]> => {
          if (seriesRead(text)) await new Promise((resolve) => setTimeout(resolve, 1500));
          return query<Row>(text, values);
        }),
      };
      const late = await runAnalysis(request({ context: slow, agentTimeoutMs: 1000 }));
      const lateByAgent = new Map(late.agents.map((run) => [run.agent, run]));
      expect(lateByAgent.get('profile')?.status).toBe('succeeded');
      for (const agent of ['trends', 'anomalies'] as const) {
        expect(lateByAgent.get(agent)).toMatchObject({
          status: 'failed',
          error: 'timed out after 1000 ms',
        });
      }
    });

    it('runs only the agents asked for', async () => {
      const outcome = await runAnalysis(request({ agents: ['trends', 'summary'] }));
      expect(outcome.agents.map((run) => run.agent)).toEqual(['trends', 'summary']);
      expect(outcome.results.profile).toBeUndefined();
      const withoutSummary = await runAnalysis(request({ agents: ['profile'] }));
      expect(withoutSummary.agents.map((run) => run.agent)).toEqual(['profile']);
      expect(withoutSummary.summary).toBeUndefined();
    });

    it('stops every agent when cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const outcome = await runAnalysis(request({ signal: controller.signal }));
      expect(outcome.agents.length).toBeGreaterThan(0);
      expect(
        outcome.agents.every((run) => run.status === 'failed' && run.error === 'cancelled'),
      ).toBe(true);
    });

    it('analyses free text with the text agent alone', async () => {
      const outcome = await runAnalysis(
        request({
          context: undefined,
          brief: { text: 'The service was wonderful. The food was awful.' },
        }),
      );
      expect(outcome.agents.map((run) => run.agent)).toEqual(['text', 'summary']);
      expect(outcome.results.text?.documents[0]?.passages.map((p) => p.label)).toEqual([
        'positive',
        'negative',
      ]);
    });
  });

  it('gives the tools a read-only connection', async () => {
    await expect(readOnlyQueryOf(app)('CREATE TABLE sneaky (a int)')).rejects.toThrow(/read-only/);
  });
});
