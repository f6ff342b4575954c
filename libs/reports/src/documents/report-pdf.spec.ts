import { renderMetricCharts } from './report-documents';
import { metricSectionKey } from './report-content';
import { metricTableRows } from './report-format';
import { renderReportPdf } from './report-pdf';
import { timerStall } from './testing/event-loop';
import { extractPdfText } from './testing/pdf-text';
import { metricSection, reportContent } from './testing/report-fixture';

/** Text as PDF.js reads it back: runs of blanks between drawn words become one space. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('renderReportPdf', () => {
  it('reads back with the title, the periods, each metric and its table as shown', async () => {
    const content = reportContent();
    const charts = await renderMetricCharts(content);

    const document = await renderReportPdf(content, charts);
    const { pages } = await extractPdfText(document.body);
    const text = squeeze(pages.join('\n'));

    expect(text).toContain('Monthly revenue — März');
    expect(text).toContain('1 Mar 2027 – 31 Mar 2027 (Europe/Berlin)');
    expect(text).toContain('Compared with 1 Feb 2027 – 28 Feb 2027 (Europe/Berlin)');
    expect(text).toContain('Generated 1 Apr 2027, 06:00 (Europe/Berlin)');
    expect(text).toContain('The south led, with größere orders.');
    expect(text).toContain('Umsatz €, Größe, Ω (EUR)');
    expect(text).toContain('region: Süd, channel: web');
    for (const section of content.metrics) {
      for (const row of metricTableRows(section)) {
        expect(text).toContain(
          squeeze(`${row.label} ${row.current} ${row.previous} ${row.change}`),
        );
      }
    }
    expect(text).toContain('Sum 123,456.789 100,000 +23,456.789 (+23.5%)');
    // The charts are drawn as text and paths, so their labels read back too.
    expect(text).toContain('No data in this period');
    expect(text).toContain('1 Mar 5 Mar 9 Mar');
  });

  it('embeds DejaVu subsets only, compresses, and names itself', async () => {
    const content = reportContent();

    const document = await renderReportPdf(content, await renderMetricCharts(content));
    const raw = document.body.toString('latin1');
    const { info } = await extractPdfText(document.body);

    expect(raw.startsWith('%PDF-')).toBe(true);
    const fonts = [...raw.matchAll(/\/BaseFont \/([\w+-]+)/g)].map((match) => match[1]);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((font) => /^[A-Z]{6}\+DejaVuSans(-Bold)?$/.test(font))).toBe(true);
    expect(raw).toContain('/FlateDecode');
    expect(raw).not.toMatch(/Helvetica|Times-Roman|Courier/);
    expect(info).toMatchObject({ Title: 'Monthly revenue — März', Creator: 'Sightline' });
    expect(document).toMatchObject({
      format: 'pdf',
      contentType: 'application/pdf',
      fileName: 'monthly-revenue-marz-2027-03-01.pdf',
    });
  });

  it('spreads 30 metrics over pages, each metric whole on one page', async () => {
    const metrics = Array.from({ length: 30 }, (_, index) =>
      metricSection({ name: `Metric ${String(index + 1).padStart(2, '0')}` }),
    );
    const content = reportContent({ metrics });

    const document = await renderReportPdf(content, await renderMetricCharts(content));
    const { totalPages, pages } = await extractPdfText(document.body);

    expect(totalPages).toBeGreaterThanOrEqual(10);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${totalPages}`);
    });
    for (const { name } of metrics) {
      // The name heads the section and titles its chart: both on the same page, with the
      // table's last row between them.
      const holding = pages.filter((page) => page.includes(`${name} (EUR)`));
      expect(holding).toHaveLength(1);
      const [page] = holding;
      const heading = page.indexOf(`${name} (EUR)\nregion`);
      expect(page.indexOf('Count 31 28', heading)).toBeGreaterThan(heading);
      expect(page.split(`${name} (EUR)`)).toHaveLength(3);
    }
  });

  it('gives timers a turn between metrics while it draws a long report', async () => {
    const metrics = Array.from({ length: 10 }, (_, index) => metricSection({ name: `m${index}` }));
    const content = reportContent({ metrics });
    // One real chart drawn for every metric: the drawing is what is measured here.
    const [chart] = (await renderMetricCharts(reportContent({ metrics: [metrics[0]] }))).values();
    const charts = new Map(metrics.map((_, index) => [metricSectionKey(index), chart]));

    const { totalMs, stallMs } = await timerStall(() => renderReportPdf(content, charts));

    // About one metric's drawing (or the final write); without the turns, all of it.
    expect(stallMs).toBeLessThan(totalMs / 3);
  });

  it('refuses a metric without its chart', async () => {
    await expect(renderReportPdf(reportContent(), new Map())).rejects.toThrow(
      'No chart for metric "Umsatz €, Größe, Ω"',
    );
  });

  it.each([
    ['an image', '<svg width="10" height="10"><image href="/etc/passwd"/></svg>'],
    ['no size', '<svg><rect width="1" height="1"/></svg>'],
    ['no SVG', 'Internal Server Error'],
  ])('refuses a chart it cannot draw whole: %s', async (_case, svg) => {
    const content = reportContent({ metrics: [metricSection({ name: 'Orders' })] });

    await expect(renderReportPdf(content, new Map([['metric-1', svg]]))).rejects.toThrow(
      /could not be drawn|not an SVG image/,
    );
  });
});
