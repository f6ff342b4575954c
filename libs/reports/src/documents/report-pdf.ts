import { chartFontFiles } from '@app/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { CONTENT_TYPES, documentFileName } from './document-names';
import {
  metricSectionKey,
  type RenderedDocument,
  type ReportContent,
  type ReportMetricSection,
} from './report-content';
import { METRIC_TABLE_COLUMNS, type MetricTableRow, metricSectionView } from './report-format';
import { formatDateTime, formatPeriod } from './report-time';

// The chart font's files, shipped as a package and registered under these names: never the
// host's fonts nor PDFKit's Helvetica (Latin-1 only), so "Umsatz €, Größe, Ω" draws everywhere.
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

const MARGIN = 48;
const MUTED = '#555555';
const TEXT = '#1b1d21';
const RULE = '#dfe2e6';
const ROW_HEIGHT = 15;
/** The table's columns as shares of the text width: statistic, current, previous, change. */
const COLUMN_SHARES = [0.3, 0.2, 0.2, 0.3];
const GAP = 10;

/**
 * The report as a PDF: text set in embedded DejaVu subsets (selectable and searchable),
 * each metric's chart drawn as vector graphics, a metric moved to the next page whole
 * when it does not fit, page numbers in the footer.
 */
export async function renderReportPdf(
  content: ReportContent,
  charts: Map<string, string>,
): Promise<RenderedDocument> {
  const fonts = chartFontFiles();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Instead of Helvetica; a font only ever set here is not embedded.
    font: fonts.regular,
    bufferPages: true,
    compress: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: content.title, Creator: 'Sightline', CreationDate: content.generatedAt },
  });
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  const body = bufferOf(doc);
  try {
    drawHeader(doc, content);
    for (const [index, section] of content.metrics.entries()) {
      // Drawing is synchronous: a turn of the event loop between metrics keeps timers (the
      // run's heartbeat) and I/O going while a long report is drawn.
      await nextTurn();
      const svg = charts.get(metricSectionKey(index));
      if (svg === undefined) throw new Error(`No chart for metric "${section.name}"`);
      drawMetric(doc, section, svg);
    }
    drawPageNumbers(doc);
  } catch (error) {
    // The stream is closed either way; its outcome no longer matters.
    body.catch(() => undefined);
    doc.end();
    throw error;
  }
  doc.end();
  return {
    format: 'pdf',
    contentType: CONTENT_TYPES.pdf,
    fileName: documentFileName(content, 'pdf'),
    body: await body,
  };
}

function bufferOf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function textWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function drawHeader(doc: PDFKit.PDFDocument, content: ReportContent): void {
  const { timezone } = content;
  doc.font(BOLD).fontSize(20).fillColor(TEXT).text(content.title);
  doc.moveDown(0.3).font(REGULAR).fontSize(10).fillColor(MUTED);
  doc.text(formatPeriod(content.period, timezone));
  doc.text(`Compared with ${formatPeriod(content.previousPeriod, timezone)}`);
  doc.text(`Generated ${formatDateTime(content.generatedAt, timezone)}`);
  doc.text(`Report ${content.reportId}, run ${content.runId}`);
  doc.moveDown(1).fontSize(11).fillColor(TEXT);
  for (const paragraph of content.narrative.split(/\r?\n\s*\r?\n/)) {
    if (paragraph.trim() !== '') doc.text(paragraph.trim(), { paragraphGap: 6 });
  }
  doc.moveDown(0.5);
}

/** The chart's size in points at the full text width, from the SVG's own aspect ratio. */
function chartSize(doc: PDFKit.PDFDocument, svg: string): { width: number; height: number } {
  const root = /^\s*<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('The chart is not an SVG image with a size');
  const fit = textWidth(doc);
  return { width: fit, height: (fit * height) / width };
}

function drawMetric(doc: PDFKit.PDFDocument, section: ReportMetricSection, svg: string): void {
  const width = textWidth(doc);
  const { heading, dimensions, rows } = metricSectionView(section);
  const chart = chartSize(doc, svg);
  const headingHeight = doc.font(BOLD).fontSize(13).heightOfString(heading, { width });
  const dimensionsHeight = doc.font(REGULAR).fontSize(9.5).heightOfString(dimensions, { width });
  const needed =
    GAP + headingHeight + dimensionsHeight + GAP + (rows.length + 1) * ROW_HEIGHT + GAP;
  // Keep a metric together: begin it on a new page unless it fits (or nothing would).
  const fullPage = doc.page.maxY() - doc.page.margins.top;
  if (doc.y + needed + chart.height > doc.page.maxY() && needed + chart.height <= fullPage) {
    doc.addPage();
  }
  const left = doc.page.margins.left;
  doc.x = left;
  doc.y += GAP;
  doc.font(BOLD).fontSize(13).fillColor(TEXT).text(heading, left, doc.y, { width });
  doc.font(REGULAR).fontSize(9.5).fillColor(MUTED).text(dimensions, left, doc.y, { width });
  doc.y += GAP / 2;
  drawTable(doc, rows);
  doc.y += GAP / 2;
  drawChart(doc, section, svg, chart);
  doc.x = left;
  doc.y += chart.height + GAP;
}

function drawTable(doc: PDFKit.PDFDocument, rows: MetricTableRow[]): void {
  const width = textWidth(doc);
  const widths = COLUMN_SHARES.map((share) => share * width);
  const drawRow = (cells: string[], font: string, color: string) => {
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.font(font).fontSize(9).fillColor(color);
    cells.forEach((cell, column) => {
      const align = column === 0 ? 'left' : 'right';
      const pad = column === cells.length - 1 ? 0 : 6;
      doc.text(cell, x, y + 3, { width: widths[column] - pad, align, lineBreak: false });
      x += widths[column];
    });
    const bottom = y + ROW_HEIGHT;
    doc.moveTo(doc.page.margins.left, bottom).lineTo(doc.page.margins.left + width, bottom);
    doc.lineWidth(0.5).strokeColor(RULE).stroke();
    doc.y = bottom;
  };
  drawRow(METRIC_TABLE_COLUMNS, BOLD, MUTED);
  for (const row of rows) {
    drawRow(
      [row.label, row.current, row.previous, row.change],
      row.headline ? BOLD : REGULAR,
      TEXT,
    );
  }
}

/**
 * The chart as vector paths and text. SVGtoPDF reports what it cannot draw (an image, a
 * font it cannot open, a malformed SVG) as a warning and goes on: here that fails the
 * report, as a chart drawn in part is as wrong as a blank one.
 */
function drawChart(
  doc: PDFKit.PDFDocument,
  section: ReportMetricSection,
  svg: string,
  size: { width: number; height: number },
): void {
  const warnings: string[] = [];
  SVGtoPDF(doc, svg, doc.page.margins.left, doc.y, {
    ...size,
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
    // Nothing is read from disk or the network on behalf of a chart.
    imageCallback: () => '',
    warningCallback: (warning) => warnings.push(warning),
  });
  if (warnings.length > 0) {
    throw new Error(`The chart of "${section.name}" could not be drawn: ${warnings.join('; ')}`);
  }
}

function drawPageNumbers(doc: PDFKit.PDFDocument): void {
  const { start, count } = doc.bufferedPageRange();
  for (let page = start; page < start + count; page += 1) {
    doc.switchToPage(page);
    // Writing below the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(8).fillColor(MUTED);
    doc.text(
      `Page ${page - start + 1} of ${count}`,
      doc.page.margins.left,
      doc.page.height - bottom + 16,
      { width: textWidth(doc), align: 'center', lineBreak: false },
    );
    doc.page.margins.bottom = bottom;
  }
}
