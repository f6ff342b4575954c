import { renderVegaLiteSvg } from '@app/common';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, metricChartSpec, NO_DATA_TEXT } from './metric-chart';
import { dailySeries, metricSection } from './testing/report-fixture';

/** The texts of an SVG's <text> elements, unescaped only as far as the test needs. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
}

type Spec = TopLevelSpec & Record<string, unknown>;

describe('metricChartSpec', () => {
  it('has a fixed size, the DejaVu font and a title of name and unit', () => {
    const spec = metricChartSpec(metricSection({ name: 'Revenue', unit: 'EUR' }), 'UTC') as Spec;

    expect(spec).toMatchObject({
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      config: { font: 'DejaVu Sans' },
      title: { text: 'Revenue (EUR)' },
    });
  });

  it("moves each point to its wall-clock time in the report's zone", () => {
    const section = metricSection({
      series: [
        { at: new Date('2027-02-28T23:00:00Z'), value: 1 },
        { at: new Date('2027-03-28T22:00:00Z'), value: 2 },
      ],
    });

    const spec = metricChartSpec(section, 'Europe/Berlin') as Spec;

    // Midnight in Berlin both times: UTC+1 before the change to summer time, UTC+2 after.
    expect(spec.data).toEqual({
      values: [
        { at: Date.UTC(2027, 2, 1), value: 1 },
        { at: Date.UTC(2027, 2, 29), value: 2 },
      ],
    });
  });

  it('marks each point of a short series, and only draws the line of a long one', () => {
    const start = new Date('2027-03-01T00:00:00Z');
    const short = metricChartSpec(metricSection({ series: dailySeries(start, 31) }), 'UTC');
    const long = metricChartSpec(metricSection({ series: dailySeries(start, 90) }), 'UTC');

    expect((short as Spec).mark).toMatchObject({ type: 'line', point: true });
    expect((long as Spec).mark).toMatchObject({ type: 'line', point: false });
  });

  it("labels the time axis in the report's zone", async () => {
    // Three days from midnight on 1 March in Berlin: still 28 February, 18:00, in New York.
    const section = metricSection({ series: dailySeries(new Date('2027-02-28T23:00:00Z'), 3) });

    const berlin = svgTexts(await renderVegaLiteSvg(metricChartSpec(section, 'Europe/Berlin')));
    const newYork = svgTexts(await renderVegaLiteSvg(metricChartSpec(section, 'America/New_York')));

    expect(berlin[0]).toBe('1 Mar 00:00');
    expect(newYork[0]).toBe('28 Feb 18:00');
  });

  it('says there is no data instead of drawing an empty frame', async () => {
    const spec = metricChartSpec(metricSection({ series: [] }), 'UTC');

    const svg = await renderVegaLiteSvg(spec);

    expect(svgTexts(svg)).toContain(NO_DATA_TEXT);
    expect(svg).not.toContain('mark-line');
  });

  it('keeps a hostile metric name as text in the SVG', async () => {
    const section = metricSection({ name: '<script>alert(1)</script>', unit: '"&' });

    const svg = await renderVegaLiteSvg(metricChartSpec(section, 'UTC'));

    expect(svg).not.toContain('<script');
    expect(svgTexts(svg)).toContain('&lt;script&gt;alert(1)&lt;/script&gt; ("&amp;)');
  });
});
