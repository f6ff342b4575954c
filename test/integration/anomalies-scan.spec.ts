import { type AnalysisContext } from '@app/analysis';
import { scanAnomalies } from '../../libs/analysis/src/agents/anomalies-scan';
import { ROBUST_Z_LIMIT } from '../../libs/analysis/src/statistics/anomaly-band';
import { analysisContextOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The SQL scan kept for tables without a time column too large to read into memory, run
 * here on a small one (the same statements; the sample only starts above 100,000 rows).
 */
describe('anomalies of a table without time, scanned in SQL (real PostgreSQL)', () => {
  let app: TestApp;
  let context: AnalysisContext;

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    // reading: 10..16 with six far values at every 50th row (900 + row);
    // flat: one value throughout, so MAD = 0 and only the fences could flag anything.
    const lines = ['reading,flat'];
    for (let row = 1; row <= 300; row++) {
      lines.push(`${row % 50 === 0 ? 900 + row : 10 + (row % 7)},4`);
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

  it('tests every row, counts them all and keeps the farthest max, with their file rows', async () => {
    const scanned = await scanAnomalies(context, ['reading', 'flat'], 2);
    const reading = scanned.get('reading');
    expect(reading?.found).toBe(6);
    expect(reading?.anomalies.map((a) => [a.row, a.value])).toEqual([
      [300, 1200],
      [250, 1150],
    ]);
    for (const anomaly of reading?.anomalies ?? []) {
      expect(anomaly.expected).toBe(13);
      expect(anomaly.band.high).toBeLessThan(anomaly.value);
      expect(anomaly.score).toBeGreaterThan(ROBUST_Z_LIMIT);
      expect(anomaly.reason).toMatch(/robust z-score/);
    }
    expect(scanned.get('flat')).toEqual({ anomalies: [], found: 0 });
  });
});
