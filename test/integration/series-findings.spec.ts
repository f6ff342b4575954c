import {
  anomaliesAgent,
  type AnalysisContext,
  runAnalysis,
  toolScans,
  trendsAgent,
} from '@app/analysis';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { Runner } from '@openai/agents';
import { analysisContextOf, readOnlyQueryOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const DAYS = 1096; // 2021-01-01 to 2023-12-31
const SHIFT_DAY = 600;
const SPIKE_DAY = 400;
const SPIKES = [150, 320, 500, 700, 900]; // of `bursty`

/** A deterministic pseudo-random sequence (LCG) in [-0.5, 0.5), so the file is the same every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

const dayOf = (d: number) => new Date(Date.UTC(2021, 0, 1) + d * 86_400_000).toISOString();

/**
 * Three years of days, a column for each finding: a yearly cycle (`temperature`), a level
 * that steps up for good (`level`), one spike (`spiky`), rain that is zero on most days
 * (`rain`), and five spikes (`bursty`, for a request that lists two).
 */
function seriesCsv(): { csv: string; rain: number[] } {
  const random = noise(11);
  const rain: number[] = [];
  const lines = ['day,temperature,level,spiky,rain,bursty'];
  for (let d = 0; d < DAYS; d++) {
    const temperature = 12 + 9 * Math.sin((2 * Math.PI * (d - 100)) / 365.25) + 2 * random();
    const level = 50 + (d >= SHIFT_DAY ? 30 : 0) + 4 * random();
    const spiky = 100 + 4 * random() + (d === SPIKE_DAY ? 40 : 0);
    const wet = random() > 0.1; // about 40 % of days are wet
    const amount = wet ? Math.round(Math.abs(random()) * 240) / 10 : 0;
    rain.push(amount);
    const bursty = 20 + 2 * random() + (SPIKES.includes(d) ? 30 + SPIKES.indexOf(d) * 20 : 0);
    lines.push(
      [dayOf(d).slice(0, 10), temperature, level, spiky, amount, bursty]
        .map((v) => (typeof v === 'number' ? v.toFixed(3) : v))
        .join(','),
    );
  }
  return { csv: `${lines.join('\n')}\n`, rain };
}

describe('time-series findings through the runner and PostgreSQL (builtin model)', () => {
  let app: TestApp;
  let context: AnalysisContext;
  let rain: number[];
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const generated = seriesCsv();
    rain = generated.rain;
    context = await analysisContextOf(app, org.organizationId, analyst, generated.csv);
  });
  afterAll(async () => {
    await app.close();
  });

  it('reads the series once for both specialists, and finds the season, the shift and the spike', async () => {
    let seriesReads = 0;
    const query = readOnlyQueryOf(app);
    const counting: AnalysisContext = {
      ...context,
      ...toolScans(<Row>(text: string, values?: unknown[]) => {
        if (text.includes('GROUP BY t ORDER BY t')) seriesReads++;
        return query<Row>(text, values);
      }),
    };
    const outcome = await runAnalysis({
      runner,
      model: BUILTIN_MODEL_NAME,
      brief: { datasetId: context.dataset.id },
      context: counting,
      agentTimeoutMs: 30_000,
      agents: ['trends', 'anomalies'],
    });
    expect(outcome.agents.map((run) => [run.agent, run.status])).toEqual([
      ['trends', 'succeeded'],
      ['anomalies', 'succeeded'],
    ]);
    expect(seriesReads).toBe(1);
    const trends = outcome.results.trends;
    const anomalies = outcome.results.anomalies;

    // The yearly cycle, its profile from about 3 in winter to about 21 in summer, in words.
    const season = trends?.seasonality.find((s) => s.column === 'temperature');
    expect(season).toMatchObject({ name: 'yearly', timeColumn: 'day' });
    expect(season?.strength).toBeGreaterThan(0.6);
    expect(season?.description).toMatch(
      /^temperature follows a yearly cycle \(strength [\d.]+\): monthly means from [\d.]+ in .+ to [\d.]+ in .+$/,
    );
    const means = new Map(season?.profile.map((p) => [p.label, p.mean]));
    expect(means.get('Jul') ?? 0).toBeGreaterThan(18);
    expect(means.get('Jan') ?? 99).toBeLessThan(6);
    const temperatureTrend = trends?.trends.find((t) => t.column === 'temperature');
    expect(temperatureTrend).toMatchObject({
      method: 'seasonal-mann-kendall',
      deseasonalised: true,
      direction: 'none',
      n: DAYS,
    });

    // The step: one level shift at its day, with the levels either side.
    const shifts = trends?.changePoints.filter((c) => c.column === 'level') ?? [];
    expect(shifts).toHaveLength(1);
    const [shift] = shifts;
    expect(shift).toMatchObject({
      kind: 'level_shift',
      time: dayOf(SHIFT_DAY),
      row: SHIFT_DAY + 1,
    });
    expect(shift.before.mean).toBeCloseTo(50, 0);
    expect(shift.after.mean).toBeCloseTo(80, 0);

    // The spike: its row, time, the expected value and the band it fell outside.
    const spike = anomalies?.anomalies.filter((a) => a.column === 'spiky') ?? [];
    expect(spike.map((a) => [a.row, a.time, a.kind])).toEqual([
      [SPIKE_DAY + 1, dayOf(SPIKE_DAY), 'spike'],
    ]);
    expect(spike[0].expected).toBeCloseTo(100, 0);
    expect(spike[0].band?.high).toBeLessThan(spike[0].value);
    expect(Math.abs(spike[0].value - 140)).toBeLessThan(2); // 100 + 40, noise within ±2
  });

  it('takes dry days as the normal state of rain: no ordinary wet day is an anomaly', async () => {
    const result = await runner.run(anomaliesAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context: { ...context },
    });
    const anomalies = result.finalOutput;
    expect(anomalies?.anomalyColumns.find((c) => c.column === 'rain')?.distribution).toBe(
      'zero_inflated',
    );
    // Rain on an ordinary wet day is not an anomaly: only amounts past the 99th percentile may be.
    const sorted = [...rain].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(0.99 * (sorted.length - 1))];
    const rainy = anomalies?.anomalies.filter((a) => a.column === 'rain') ?? [];
    expect(rainy.filter((a) => a.value < p99)).toEqual([]);
  });

  it('lists the top maxAnomalies of a column and says how many it found', async () => {
    const asked: AnalysisContext = { ...context, maxAnomalies: 2 };
    const result = await runner.run(anomaliesAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context: asked,
    });
    const bursty = result.finalOutput?.anomalies.filter((a) => a.column === 'bursty') ?? [];
    // The two largest of the five spikes (planted at 30 + 20k above the level).
    expect(bursty.map((a) => a.row)).toEqual([SPIKES[4] + 1, SPIKES[3] + 1]);
    expect(result.finalOutput?.anomalyColumns.find((c) => c.column === 'bursty')).toMatchObject({
      found: 5,
      reported: 2,
      truncated: true,
      distribution: 'symmetric',
    });
  });

  it('has the trends tool report each column alone, with its own seasons and change points', async () => {
    const result = await runner.run(trendsAgent(BUILTIN_MODEL_NAME, context.dataset), '{}', {
      context: { ...context },
    });
    const columns = (items: Array<{ column: string }> | undefined) =>
      [...new Set((items ?? []).map((item) => item.column))].sort();
    expect(columns(result.finalOutput?.trends)).toEqual(
      ['bursty', 'level', 'rain', 'spiky', 'temperature'].sort(),
    );
    expect(columns(result.finalOutput?.seasonality)).toContain('temperature');
    expect(columns(result.finalOutput?.changePoints)).toContain('level');
    for (const change of result.finalOutput?.changePoints ?? []) {
      expect(change.toolCallId).toMatch(/trend/);
    }
  });
});
