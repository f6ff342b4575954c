import { CONTENT_TYPES, documentFileName } from './document-names';
import {
  metricSectionKey,
  type RenderedDocument,
  type ReportContent,
  type ReportMetricSection,
} from './report-content';
import { METRIC_TABLE_COLUMNS, metricSectionView } from './report-format';
import { formatDateTime, formatPeriod } from './report-time';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

// The document is mailed and opened offline: everything is inline, nothing is fetched, and
// the fonts are whatever the reader has (DejaVu first, as in the charts).
const STYLE = `
body { margin: 0; background: #f4f5f7; color: #1b1d21; line-height: 1.5;
  font-family: "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 780px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0; overflow-wrap: anywhere; }
.meta, .dimensions, footer { color: #555; font-size: 0.9rem; margin: 0; }
.narrative { margin: 16px 0; }
.narrative p { margin: 0 0 8px; overflow-wrap: anywhere; }
section.metric { background: #fff; border: 1px solid #dfe2e6; border-radius: 8px;
  padding: 16px; margin: 16px 0; }
.dimensions { margin: 2px 0 12px; overflow-wrap: anywhere; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid #eceef1; text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
tr.headline td { font-weight: bold; }
figure { margin: 12px 0 0; }
figure svg { display: block; width: 100%; height: auto; }
@media (max-width: 480px) {
  main { padding: 8px; }
  section.metric { padding: 8px; }
  th, td { padding: 4px 3px; font-size: 0.8rem; white-space: normal; }
}
`;

/**
 * The report as one self-contained HTML file: inline CSS and SVG charts, no script, no URL
 * of any kind, every user text (title, names, units, dimensions, narrative) escaped.
 */
export function renderReportHtml(
  content: ReportContent,
  charts: Map<string, string>,
): RenderedDocument {
  const { timezone } = content;
  const sections = content.metrics.map((section, index) =>
    metricHtml(section, metricSectionKey(index), charts),
  );
  const html = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(content.title)}</h1>
<p class="meta">${escapeHtml(formatPeriod(content.period, timezone))}</p>
<p class="meta">Compared with ${escapeHtml(formatPeriod(content.previousPeriod, timezone))}</p>
<p class="meta">Generated ${escapeHtml(formatDateTime(content.generatedAt, timezone))}</p>
</header>
<section class="narrative">
${narrativeHtml(content.narrative)}
</section>
${sections.join('\n')}
<footer>Report ${escapeHtml(content.reportId)}, run ${escapeHtml(content.runId)}</footer>
</main>
</body>
</html>
`;
  return {
    format: 'html',
    contentType: CONTENT_TYPES.html,
    fileName: documentFileName(content, 'html'),
    body: Buffer.from(html, 'utf8'),
  };
}

/** Paragraphs at blank lines, line breaks kept within them. */
function narrativeHtml(narrative: string): string {
  return narrative
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

function metricHtml(section: ReportMetricSection, key: string, charts: Map<string, string>) {
  const svg = charts.get(key);
  if (svg === undefined) throw new Error(`No chart for metric "${section.name}"`);
  const head = METRIC_TABLE_COLUMNS.map((column) => `<th scope="col">${escapeHtml(column)}</th>`);
  const view = metricSectionView(section);
  const rows = view.rows.map((row) => {
    const cells = [row.label, row.current, row.previous, row.change];
    const tds = cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('');
    return `<tr${row.headline ? ' class="headline"' : ''}>${tds}</tr>`;
  });
  return `<section class="metric" id="${key}">
<h2>${escapeHtml(view.heading)}</h2>
<p class="dimensions">${escapeHtml(view.dimensions)}</p>
<div class="table"><table>
<thead><tr>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>
<figure>${inlineSvg(svg, key)}</figure>
</section>`;
}

/**
 * A chart's SVG made fit to inline: HTML5 needs no namespace declarations (and they are the
 * only URLs Vega writes), and ids are prefixed with the section's key, since every chart
 * numbers its clip paths and gradients from 1 and one document holds them all.
 */
export function inlineSvg(svg: string, key: string): string {
  const trimmed = svg.trim();
  // Vega escapes the text it writes, so a "<" here is always markup.
  if (!trimmed.startsWith('<svg') || /<(script|foreignObject)\b/i.test(trimmed)) {
    throw new Error('The chart is not a plain SVG image');
  }
  return trimmed
    .replace(/^<svg\b[^>]*>/, (root) => root.replace(/\s+xmlns(:xlink)?="[^"]*"/g, ''))
    .replace(/\sid="([^"]*)"/g, ` id="${key}-$1"`)
    .replace(/url\(#/g, `url(#${key}-`)
    .replace(/href="#/g, `href="#${key}-`);
}
