import { renderMetricCharts } from './report-documents';
import { inlineSvg, renderReportHtml } from './report-html';
import { metricSection, reportContent } from './testing/report-fixture';

const HOSTILE = '<script>alert(1)</script>';

describe('renderReportHtml', () => {
  it('is one self-contained file: a chart per metric, no script, no URL', async () => {
    const content = reportContent();
    content.metrics.push(metricSection({ name: 'Orders', series: [] }));

    const html = renderReportHtml(content, await renderMetricCharts(content)).body.toString('utf8');

    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:|\/\/|@import|src=/i);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('escapes every user text: title, names, units, dimensions and the narrative', async () => {
    const content = reportContent({
      title: HOSTILE,
      narrative: `${HOSTILE}\n<img src=x onerror=alert(2)>`,
      metrics: [
        metricSection({ name: HOSTILE, unit: '"><b>', dimensions: { [HOSTILE]: '<i>x</i>' } }),
      ],
    });

    const html = renderReportHtml(content, await renderMetricCharts(content)).body.toString('utf8');

    expect(html).not.toMatch(/<script|<img|<b>|<i>/i);
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt; (&quot;&gt;&lt;b&gt;)</h2>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;: &lt;i&gt;x&lt;/i&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it("shows the periods and the generation time in the report's zone", () => {
    const content = reportContent({ metrics: [] });

    const html = renderReportHtml(content, new Map()).body.toString('utf8');

    expect(html).toContain('1 Mar 2027 – 31 Mar 2027 (Europe/Berlin)');
    expect(html).toContain('Compared with 1 Feb 2027 – 28 Feb 2027 (Europe/Berlin)');
    expect(html).toContain('Generated 1 Apr 2027, 06:00 (Europe/Berlin)');
  });

  it('tables each metric: headline first, then the other statistics, numbers formatted', () => {
    const content = reportContent({ metrics: [metricSection()] });

    const html = renderReportHtml(content, new Map([['metric-1', '<svg></svg>']])).body.toString();

    expect(html).toContain(
      '<tr class="headline"><td>Sum</td><td>123,456.789</td><td>100,000</td>' +
        '<td>+23,456.789 (+23.5%)</td></tr>',
    );
    expect(html).toContain('<tr><td>Minimum</td><td>-12.5</td><td>1</td><td></td></tr>');
    expect(html).toContain('<p class="dimensions">region: Süd, channel: web</p>');
  });

  it('keeps the paragraphs and line breaks of the narrative', () => {
    const content = reportContent({ metrics: [], narrative: 'One\nline two\n\n\nThree' });

    const html = renderReportHtml(content, new Map()).body.toString('utf8');

    expect(html).toContain('<p>One<br>line two</p>\n<p>Three</p>');
  });

  it('refuses to leave a metric without its chart', () => {
    expect(() => renderReportHtml(reportContent(), new Map())).toThrow(/No chart for metric/);
  });

  it('names the file after the title and the first day, as UTF-8 HTML', () => {
    const document = renderReportHtml(reportContent({ metrics: [] }), new Map());

    expect(document).toMatchObject({
      format: 'html',
      contentType: 'text/html; charset=utf-8',
      fileName: 'monthly-revenue-marz-2027-03-01.html',
    });
  });
});

describe('inlineSvg', () => {
  it('drops the namespace declarations and prefixes ids and their references', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
      'width="10"><defs><clipPath id="clip1"><rect/></clipPath></defs>' +
      '<g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';

    expect(inlineSvg(svg, 'metric-2')).toBe(
      '<svg width="10"><defs><clipPath id="metric-2-clip1"><rect/></clipPath></defs>' +
        '<g clip-path="url(#metric-2-clip1)"><use href="#metric-2-clip1"/></g></svg>',
    );
  });

  it.each(['<svg><script>alert(1)</script></svg>', '<svg><foreignObject/></svg>', '<div/>'])(
    'refuses %p',
    (svg) => {
      expect(() => inlineSvg(svg, 'metric-1')).toThrow('not a plain SVG');
    },
  );
});
