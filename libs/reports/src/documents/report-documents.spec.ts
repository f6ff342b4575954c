import type { TopLevelSpec } from 'vega-lite';
import { NO_DATA_TEXT } from './metric-chart';
import { renderMetricCharts, renderReportDocuments, ReportRenderError } from './report-documents';
import { busyFor, timerStall } from './testing/event-loop';
import { metricSection, reportContent } from './testing/report-fixture';

describe('renderReportDocuments', () => {
  it('renders each format asked for once, each chart once', async () => {
    const content = reportContent();
    const renderChart = jest.fn((_spec: TopLevelSpec) =>
      Promise.resolve('<svg width="640" height="240"><text>chart</text></svg>'),
    );

    const documents = await renderReportDocuments(
      content,
      ['pdf', 'html', 'csv', 'json', 'pdf'],
      renderChart,
    );

    expect(documents.map((document) => [document.format, document.contentType])).toEqual([
      ['pdf', 'application/pdf'],
      ['html', 'text/html; charset=utf-8'],
      ['csv', 'text/csv; charset=utf-8'],
      ['json', 'application/json'],
    ]);
    expect(renderChart).toHaveBeenCalledTimes(content.metrics.length);
    expect(documents.every((document) => document.body.length > 0)).toBe(true);
  });

  it('draws no chart for the data formats', async () => {
    const renderChart = jest.fn();

    await renderReportDocuments(reportContent(), ['csv', 'json'], renderChart);

    expect(renderChart).not.toHaveBeenCalled();
  });

  it('rejects, naming the metric, when a chart fails to render', async () => {
    const cause = new Error('expression not allowed');
    const content = reportContent({
      metrics: [metricSection({ name: 'Revenue' }), metricSection({ name: 'Refunds' })],
    });
    const renderChart = (spec: TopLevelSpec) =>
      JSON.stringify(spec.title).includes('Refunds')
        ? Promise.reject(cause)
        : Promise.resolve('<svg width="640" height="240"></svg>');

    const failure = renderReportDocuments(content, ['html'], renderChart);

    await expect(failure).rejects.toThrow(ReportRenderError);
    await expect(failure).rejects.toMatchObject({
      message: 'The chart of metric "Refunds" could not be rendered: expression not allowed',
      failed: { metric: 'Refunds' },
      cause,
    });
  });

  it('gives timers a turn between charts: a long report never stalls the heartbeat', async () => {
    const metrics = Array.from({ length: 12 }, (_, index) => metricSection({ name: `m${index}` }));
    const renderChart = () => {
      busyFor(25);
      return Promise.resolve('<svg width="640" height="240"></svg>');
    };

    const { totalMs, stallMs } = await timerStall(() =>
      renderMetricCharts(reportContent({ metrics }), renderChart),
    );

    expect(totalMs).toBeGreaterThanOrEqual(300);
    // About one chart's time; without the turns, the whole rendering.
    expect(stallMs).toBeLessThan(totalMs / 3);
  });

  it('rejects a renderer that answers with no SVG: no blank chart is ever sent', async () => {
    const failure = renderMetricCharts(reportContent(), () => Promise.resolve(''));

    await expect(failure).rejects.toThrow(ReportRenderError);
    await expect(failure).rejects.toThrow('the renderer returned no SVG');
  });

  it('rejects, naming the format, when a document fails', async () => {
    const renderChart = () => Promise.resolve('<svg><image href="x.png"/></svg>');

    const failure = renderReportDocuments(reportContent(), ['csv', 'pdf'], renderChart);

    await expect(failure).rejects.toThrow(ReportRenderError);
    await expect(failure).rejects.toMatchObject({ failed: { format: 'pdf' } });
    await expect(failure).rejects.toThrow(/^The PDF document could not be rendered: /);
  });

  it('renders the real charts by default', async () => {
    const content = reportContent();

    const [html] = await renderReportDocuments(content, ['html']);

    expect(html.body.toString('utf8')).toContain(NO_DATA_TEXT);
    expect(html.body.toString('utf8').match(/<svg/g)).toHaveLength(content.metrics.length);
  });
});
