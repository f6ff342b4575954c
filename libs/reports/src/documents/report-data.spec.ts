import type { PeriodStatistics } from './report-content';
import { renderReportCsv, renderReportJson, type ReportJson } from './report-data';
import { csvRows } from './testing/csv-rows';
import { metricSection, reportContent, statistics } from './testing/report-fixture';

// Every statistic of the model, so a column the CSV leaves out fails the test.
const STATISTICS = Object.keys(statistics()) as Array<keyof PeriodStatistics>;

/** A CSV cell read back as the number (or missing value) it stands for. */
function numberOf(cell: string): number | null {
  return cell === '' ? null : Number(cell);
}

describe('renderReportCsv', () => {
  it('has one row per metric section, with the numbers of the model', () => {
    const content = reportContent({
      metrics: [
        metricSection(),
        metricSection({
          name: 'Latency',
          unit: 'ms',
          dimensions: {},
          aggregate: 'p95',
          current: statistics({ count: 0, sum: null, average: null, p95: 0.1 + 0.2 }),
          change: { absolute: -1e-7, percent: null },
        }),
      ],
    });

    const rows = csvRows(renderReportCsv(content).body.toString('utf8'));

    expect(rows).toHaveLength(2);
    rows.forEach((row, index) => {
      const section = content.metrics[index];
      expect(row.metric).toBe(section.name);
      expect(JSON.parse(row.dimensions)).toEqual(section.dimensions);
      expect(row.unit).toBe(section.unit);
      expect(row.aggregate).toBe(section.aggregate);
      for (const statistic of STATISTICS) {
        expect(numberOf(row[`current_${statistic}`])).toBe(section.current[statistic]);
        expect(numberOf(row[`previous_${statistic}`])).toBe(section.previous[statistic]);
      }
      expect(numberOf(row.change_absolute)).toBe(section.change.absolute);
      expect(numberOf(row.change_percent)).toBe(section.change.percent);
      expect(row.period_start).toBe(content.period.start.toISOString());
      expect(row.period_end).toBe(content.period.end.toISOString());
      expect(row.previous_period_start).toBe(content.previousPeriod.start.toISOString());
      expect(row.previous_period_end).toBe(content.previousPeriod.end.toISOString());
    });
  });

  it('neutralises user text a spreadsheet would run, but keeps negative numbers', () => {
    const content = reportContent({
      metrics: [metricSection({ name: '=HYPERLINK("x")', unit: '+1', dimensions: {} })],
    });

    const [row] = csvRows(renderReportCsv(content).body.toString('utf8'));

    expect(row.metric).toBe('\'=HYPERLINK("x")');
    expect(row.unit).toBe("'+1");
    expect(row.current_min).toBe('-12.5');
  });

  it('is named and typed as UTF-8 CSV', () => {
    expect(renderReportCsv(reportContent())).toMatchObject({
      contentType: 'text/csv; charset=utf-8',
      fileName: 'monthly-revenue-marz-2027-03-01.csv',
    });
  });
});

describe('renderReportJson', () => {
  it('carries the numbers of the model as numbers, and dates as ISO instants', () => {
    const content = reportContent();

    const json = JSON.parse(renderReportJson(content).body.toString('utf8')) as ReportJson;

    expect(json.schemaVersion).toBe(1);
    expect(json.period).toEqual({
      start: '2027-02-28T23:00:00.000Z',
      end: '2027-03-31T22:00:00.000Z',
    });
    expect(json.previousPeriod.start).toBe(content.previousPeriod.start.toISOString());
    expect(json.generatedAt).toBe('2027-04-01T04:00:00.000Z');
    expect(json.narrative).toBe(content.narrative);
    expect(json.metrics).toHaveLength(content.metrics.length);
    json.metrics.forEach((metric, index) => {
      const section = content.metrics[index];
      expect(metric.current).toEqual(section.current);
      expect(metric.previous).toEqual(section.previous);
      expect(metric.change).toEqual(section.change);
      expect(metric.series).toEqual(
        section.series.map((point) => ({ at: point.at.toISOString(), value: point.value })),
      );
      expect(metric).toMatchObject({
        name: section.name,
        unit: section.unit,
        dimensions: section.dimensions,
        aggregate: section.aggregate,
      });
    });
  });

  it('is named and typed as JSON', () => {
    expect(renderReportJson(reportContent())).toMatchObject({
      contentType: 'application/json',
      fileName: 'monthly-revenue-marz-2027-03-01.json',
    });
  });
});
