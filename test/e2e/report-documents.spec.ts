import { Client } from 'pg';
import { csvRows } from '../../libs/reports/src/documents/testing/csv-rows';
import { extractPdfText } from '../../libs/reports/src/documents/testing/pdf-text';
import { call, Factory, type TestOrganization } from '../support/factory';
import { type Json, type ReportRun, ReportsClient } from '../support/reports';
import { startTestApp, type TestApp } from '../support/test-app';

const ZONE = 'Europe/Berlin';
const STATISTICS = ['count', 'sum', 'min', 'max', 'average', 'last', 'p95'] as const;
type Statistic = (typeof STATISTICS)[number];
type Statistics = Record<Statistic, number | null>;

/** The report's metrics: a filter that keeps some rows of a name out, one never written. */
const METRICS = [
  { name: 'orders', dimensions: {}, aggregate: 'sum', unit: 'pcs' },
  { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'avg', unit: 'EUR' },
  { name: 'latency', dimensions: {}, aggregate: 'p95', unit: 'ms' },
  { name: 'refunds', dimensions: {}, aggregate: 'count', unit: null },
] as const;
const HEADLINE: Record<string, Statistic> = {
  sum: 'sum',
  avg: 'average',
  p95: 'p95',
  count: 'count',
};

/**
 * A report's documents from metrics written over HTTP: the CSV's and JSON's numbers against
 * an independent SQL computation over the metrics table, the PDF as a reader extracts it,
 * the HTML's self-containment, and the downloads' headers and access.
 */
describe('report documents', () => {
  let app: TestApp;
  let home: TestOrganization;
  let other: TestOrganization;
  let reports: ReportsClient;
  let viewer: string;
  let database: Client;
  let run: ReportRun;
  /** Per metric (in METRICS' order): the statistics of the run's period and the one before. */
  let expected: Array<{ current: Statistics; previous: Statistics }>;
  let previousPeriod: { start: string; end: string };

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    home = await factory.newOrganization();
    other = await factory.newOrganization();
    reports = new ReportsClient(
      app.baseUrl,
      (await factory.newApiKey(home.organizationId, 'analyst')).key,
    );
    viewer = (await factory.newApiKey(home.organizationId, 'viewer')).key;
    database = new Client({ connectionString: app.database.url });
    await database.connect();

    await writeMetrics();
    const report = await reports.create({
      name: 'Orders & revenue',
      metrics: METRICS.map(({ name, dimensions, aggregate }) => ({ name, dimensions, aggregate })),
      schedule: '0 6 * * *',
      timezone: ZONE,
      period: 'day',
      formats: ['pdf', 'html', 'csv', 'json'],
    });
    run = await reports.finished(await reports.run(report.id), 60_000);
    expect(run.status).toBe('succeeded');
    previousPeriod = await previousDay(run.periodStart);
    expected = [];
    for (const metric of METRICS) {
      expected.push({
        current: await statistics(metric, run.periodStart, run.periodEnd),
        previous: await statistics(metric, previousPeriod.start, previousPeriod.end),
      });
    }
  }, 90_000);
  afterAll(async () => {
    await database.end();
    await app.close();
  });

  /**
   * Three days of points up to now, so the run's day and the one before are both full, and
   * orders at the local midnights that bound them (each the largest of its day).
   */
  async function writeMetrics(): Promise<void> {
    const now = Date.now();
    const { rows } = await database.query<{ midnight: Date }>(
      `SELECT (date_trunc('day', now() AT TIME ZONE $1) - make_interval(days => days))
         AT TIME ZONE $1 AS midnight FROM generate_series(0, 2) AS days`,
      [ZONE],
    );
    const metrics: Json[] = rows.map(({ midnight }, index) => ({
      name: 'orders',
      value: 500 + 100 * index,
      unit: 'pcs',
      observedAt: midnight.toISOString(),
    }));
    for (let index = 0; index < 95; index++) {
      const at = (minutes: number) => new Date(now - index * 47 * 60_000 - minutes * 1000);
      const wave = Math.sin(index * 1.7);
      metrics.push(
        { name: 'orders', value: Math.round(40 + 30 * wave), unit: 'pcs', observedAt: at(0) },
        {
          name: 'revenue',
          value: Math.round((1000 + 900 * wave + index * 13.37) * 100) / 100,
          unit: 'EUR',
          dimensions: { region: 'eu', channel: index % 2 === 0 ? 'web' : 'shop' },
          observedAt: at(1),
        },
        // Outside the report's filter: numbers that would show if it leaked in.
        {
          name: 'revenue',
          value: 99_999.5,
          unit: 'EUR',
          dimensions: { region: 'us' },
          observedAt: at(2),
        },
        { name: 'latency', value: 20.25 + ((index * 37) % 180), unit: 'ms', observedAt: at(3) },
      );
    }
    const written = await call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': reports.key },
      body: { metrics },
    });
    expect(written.status).toBe(201);
  }

  /** The local day before the one starting at `start`, reckoned by PostgreSQL in the zone. */
  async function previousDay(start: string): Promise<{ start: string; end: string }> {
    const { rows } = await database.query<{ start: Date }>(
      `SELECT (($1::timestamptz AT TIME ZONE $2) - interval '1 day') AT TIME ZONE $2 AS start`,
      [start, ZONE],
    );
    return { start: rows[0].start.toISOString(), end: start };
  }

  /** A metric's statistics over [from, to), straight from the metrics table. */
  async function statistics(
    metric: (typeof METRICS)[number],
    from: string,
    to: string,
  ): Promise<Statistics> {
    const { rows } = await database.query<Record<Statistic, number | string | null>>(
      `SELECT count(*)::int AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
         avg(value) AS average, (array_agg(value ORDER BY observed_at DESC))[1] AS last,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95
       FROM metrics
       WHERE organization_id = $1 AND name = $2 AND dimensions @> $3::jsonb
         AND observed_at >= $4 AND observed_at < $5`,
      [home.organizationId, metric.name, JSON.stringify(metric.dimensions), from, to],
    );
    const row = rows[0];
    return Object.fromEntries(
      STATISTICS.map((key) => [key, row[key] === null ? null : Number(row[key])]),
    ) as Statistics;
  }

  /** The headline's change; no percentage of a previous 0. */
  function changeOf(index: number): { absolute: number | null; percent: number | null } {
    const key = HEADLINE[METRICS[index].aggregate];
    const current = expected[index].current[key];
    const previous = expected[index].previous[key];
    if (current === null || previous === null) return { absolute: null, percent: null };
    const absolute = current - previous;
    return { absolute, percent: previous === 0 ? null : (absolute / Math.abs(previous)) * 100 };
  }

  function expectClose(actual: number | null, wanted: number | null, what: string) {
    if (wanted === null) {
      expect({ what, actual }).toEqual({ what, actual: null });
      return;
    }
    const tolerance = Math.max(1e-9, Math.abs(wanted) * 1e-12);
    if (actual === null || Math.abs(actual - wanted) > tolerance) {
      throw new Error(`${what}: ${String(actual)}, wanted ${wanted}`);
    }
  }

  const download = (format: string, key = viewer, runId = run.id) =>
    fetch(`${app.baseUrl}/v1/report-runs/${runId}/download?format=${format}`, {
      headers: { 'x-api-key': key },
    });

  it('covers the local day before the run, with data in it and the day before', async () => {
    const { rows } = await database.query<{ start: Date; end: Date }>(
      `SELECT (date_trunc('day', $1::timestamptz AT TIME ZONE $2) - interval '1 day')
           AT TIME ZONE $2 AS start,
         date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS end`,
      [run.dueAt, ZONE],
    );
    expect({ start: run.periodStart, end: run.periodEnd }).toEqual({
      start: rows[0].start.toISOString(),
      end: rows[0].end.toISOString(),
    });
    const counts = expected.map(({ current, previous }) => [current.count, previous.count]);
    for (const count of counts.slice(0, 3).flat()) expect(count).toBeGreaterThan(20);
    expect(counts[3]).toEqual([0, 0]);
  });

  it('writes the same numbers in the CSV as SQL computes', async () => {
    const response = await download('csv');
    const rows = csvRows(await response.text());
    expect(rows.map((row) => row.metric)).toEqual(METRICS.map((metric) => metric.name));
    const number = (cell: string) => (cell === '' ? null : Number(cell));
    rows.forEach((row, index) => {
      const metric = METRICS[index];
      expect(row).toMatchObject({
        dimensions: JSON.stringify(metric.dimensions),
        unit: metric.unit ?? '',
        aggregate: metric.aggregate,
        period_start: run.periodStart,
        period_end: run.periodEnd,
        previous_period_start: previousPeriod.start,
        previous_period_end: previousPeriod.end,
      });
      for (const key of STATISTICS) {
        for (const which of ['current', 'previous'] as const) {
          const cell = row[`${which}_${key}`];
          const wanted = expected[index][which][key];
          expectClose(number(cell), wanted, `${metric.name} ${which} ${key}`);
        }
      }
      const change = changeOf(index);
      expectClose(number(row.change_absolute), change.absolute, `${metric.name} change`);
      expectClose(number(row.change_percent), change.percent, `${metric.name} change %`);
    });
  });

  it('writes the same numbers in the JSON as SQL computes', async () => {
    const response = await download('json');
    const document = (await response.json()) as {
      title: string;
      period: { start: string; end: string };
      previousPeriod: { start: string; end: string };
      metrics: Array<{
        name: string;
        current: Statistics;
        previous: Statistics;
        change: { absolute: number | null; percent: number | null };
      }>;
    };
    expect(document.title).toBe('Orders & revenue');
    expect(document.period).toEqual({ start: run.periodStart, end: run.periodEnd });
    expect(document.previousPeriod).toEqual(previousPeriod);
    expect(document.metrics.map((metric) => metric.name)).toEqual(METRICS.map((m) => m.name));
    document.metrics.forEach((section, index) => {
      for (const which of ['current', 'previous'] as const) {
        for (const key of STATISTICS) {
          const what = `${section.name} ${which} ${key}`;
          expectClose(section[which][key], expected[index][which][key], what);
        }
      }
      const change = changeOf(index);
      expectClose(section.change.absolute, change.absolute, `${section.name} change`);
      expectClose(section.change.percent, change.percent, `${section.name} change %`);
    });
  });

  it('shows the title, the period and every number in the PDF as a reader extracts it', async () => {
    const response = await download('pdf');
    const pdf = await extractPdfText(Buffer.from(await response.arrayBuffer()));
    expect(pdf.info.Title).toBe('Orders & revenue');
    const text = pdf.pages.join('\n');
    expect(text).toContain('Orders & revenue');
    const day = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: ZONE,
      }).format(new Date(iso));
    expect(text).toContain(`${day(run.periodStart)} (${ZONE})`);
    expect(text).toContain(`Compared with ${day(previousPeriod.start)} (${ZONE})`);
    // en-GB, at most four decimals: every value here is at least 1.
    const shown = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
    const missing: string[] = [];
    for (const [index, metric] of METRICS.entries()) {
      expect(text).toContain(
        metric.unit === null ? metric.name : `${metric.name} (${metric.unit})`,
      );
      for (const which of ['current', 'previous'] as const) {
        for (const key of STATISTICS) {
          const value = expected[index][which][key];
          // A statistic without a value is shown as "–".
          if (value !== null && !text.includes(shown.format(value))) {
            missing.push(`${metric.name} ${which} ${key} ${shown.format(value)}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('makes a self-contained HTML file: one inline SVG per metric, no script, no URL', async () => {
    const response = await download('html');
    const html = await response.text();
    expect(html).toContain('Orders &amp; revenue');
    expect(html.match(/<svg\b/g)).toHaveLength(METRICS.length);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it.each([
    ['pdf', 'application/pdf'],
    ['html', 'text/html; charset=utf-8'],
    ['csv', 'text/csv; charset=utf-8'],
    ['json', 'application/json'],
  ])('serves the %s with its type and an attachment name', async (format, type) => {
    const response = await download(format);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(
      new Date(run.periodStart),
    );
    const name = `orders-revenue-${localDay}.${format}`;
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${name}"; filename*=UTF-8''${name}`,
    );
  });

  it('answers 404 for a format the report does not make, and to other organizations', async () => {
    const only = await reports.create({
      name: 'JSON only',
      metrics: ['orders'],
      schedule: '0 6 * * *',
      timezone: ZONE,
      period: 'day',
      format: 'json',
    });
    const onlyRun = await reports.finished(await reports.run(only.id));
    expect((await download('json', viewer, onlyRun.id)).status).toBe(200);
    const missing = await download('pdf', viewer, onlyRun.id);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).detail).toContain('has json');

    for (const format of ['pdf', 'csv']) {
      expect((await download(format, other.adminKey)).status).toBe(404);
    }
    const read = await call(app.baseUrl, 'GET', `/v1/report-runs/${run.id}`, {
      headers: { 'x-api-key': other.adminKey },
    });
    expect(read.status).toBe(404);
  });
});
