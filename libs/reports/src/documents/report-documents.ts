import { renderVegaLiteSvg } from '@app/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TopLevelSpec } from 'vega-lite';
import { metricChartSpec } from './metric-chart';
import {
  metricSectionKey,
  type RenderedDocument,
  type ReportContent,
  type ReportFormat,
} from './report-content';
import { renderReportCsv, renderReportJson } from './report-data';
import { renderReportHtml } from './report-html';
import { renderReportPdf } from './report-pdf';

/** Turns a Vega-Lite spec into SVG text; {@link renderVegaLiteSvg} unless a test fakes it. */
export type ChartRenderer = (spec: TopLevelSpec) => Promise<string>;

/** A report's chart or document could not be rendered: the run must fail, not send it. */
export class ReportRenderError extends Error {
  override readonly name = 'ReportRenderError';

  constructor(
    message: string,
    /** The metric whose chart failed, or the format whose document failed. */
    readonly failed: { metric: string } | { format: ReportFormat },
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Each metric's chart as SVG, by {@link metricSectionKey}; rejects on the first failure. */
export async function renderMetricCharts(
  content: ReportContent,
  renderChart: ChartRenderer = renderVegaLiteSvg,
): Promise<Map<string, string>> {
  const charts = new Map<string, string>();
  // One at a time: rendering is CPU-bound, and the first failure ends the report anyway.
  for (const [index, section] of content.metrics.entries()) {
    // A chart's promise settles without a turn of the event loop: give timers theirs (the
    // run's heartbeat), or 50 charts hold the process for seconds and the run looks dead.
    if (index > 0) await nextTurn();
    try {
      const svg = await renderChart(metricChartSpec(section, content.timezone));
      if (!/^\s*<svg\b/.test(svg)) throw new Error('the renderer returned no SVG');
      charts.set(metricSectionKey(index), svg);
    } catch (error) {
      throw new ReportRenderError(
        `The chart of metric "${section.name}" could not be rendered: ${messageOf(error)}`,
        { metric: section.name },
        { cause: error },
      );
    }
  }
  return charts;
}

function renderDocument(
  content: ReportContent,
  format: ReportFormat,
  charts: Map<string, string>,
): RenderedDocument | Promise<RenderedDocument> {
  switch (format) {
    case 'pdf':
      return renderReportPdf(content, charts);
    case 'html':
      return renderReportHtml(content, charts);
    case 'csv':
      return renderReportCsv(content);
    case 'json':
      return renderReportJson(content);
  }
}

/**
 * The report's documents in `formats` (each once, in the order asked), the charts rendered
 * once for all of them. Any failure rejects with a {@link ReportRenderError}: a report is
 * never sent with a missing or blank chart.
 */
export async function renderReportDocuments(
  content: ReportContent,
  formats: ReportFormat[],
  renderChart: ChartRenderer = renderVegaLiteSvg,
): Promise<RenderedDocument[]> {
  const wanted = [...new Set(formats)];
  const charted = wanted.some((format) => format === 'pdf' || format === 'html');
  const charts = charted
    ? await renderMetricCharts(content, renderChart)
    : new Map<string, string>();
  const documents: RenderedDocument[] = [];
  for (const format of wanted) {
    try {
      documents.push(await renderDocument(content, format, charts));
    } catch (error) {
      throw new ReportRenderError(
        `The ${format.toUpperCase()} document could not be rendered: ${messageOf(error)}`,
        { format },
        { cause: error },
      );
    }
  }
  return documents;
}
