import { readFileSync } from 'node:fs';
import { renderAsync } from '@resvg/resvg-js';
import { CHART_FONT_FAMILY, chartFontFiles } from './chart-fonts';
import { ChartRenderError } from './chart-render-error';
import { MAX_PNG_WIDTH, renderSvgToPng } from './svg-png';
import { renderVegaLiteSvg } from './vega-svg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk, which always follows the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const text = (family: string): string =>
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30">' +
  `<text x="4" y="20" font-family="${family}" font-size="14">Revenue 2026</text></svg>`;

describe('renderSvgToPng', () => {
  it('renders a chart to a PNG of the requested width, keeping its aspect ratio', async () => {
    const svg = await renderVegaLiteSvg({
      width: 200,
      height: 100,
      data: { values: [{ x: 1 }, { x: 2 }] },
      mark: 'bar',
      encoding: { x: { field: 'x', type: 'ordinal' } },
    });
    const own = /width="(\d+)" height="(\d+)"/.exec(svg);
    const [svgWidth, svgHeight] = [Number(own?.[1]), Number(own?.[2])];

    const png = await renderSvgToPng(svg, { width: 2 * svgWidth });

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 2 * svgWidth, height: 2 * svgHeight });
    expect(pngSize(await renderSvgToPng(svg))).toEqual({ width: svgWidth, height: svgHeight });
  });

  it('sets text in the shipped font, with no system font to fall back on', async () => {
    const shipped = await renderSvgToPng(text(CHART_FONT_FAMILY));
    // The same SVG with no font at all draws no glyphs: the text above came from our files.
    const blank = (
      await renderAsync(text(CHART_FONT_FAMILY), { font: { loadSystemFonts: false } })
    ).asPng();
    expect(shipped.equals(blank)).toBe(false);

    // A generic or unknown family falls back to the chart font rather than to nothing.
    expect((await renderSvgToPng(text('sans-serif'))).equals(shipped)).toBe(true);
    expect((await renderSvgToPng(text('Comic Unknown'))).equals(shipped)).toBe(true);
  });

  it('paints the background asked for under a transparent SVG', async () => {
    const plain = await renderSvgToPng(text(CHART_FONT_FAMILY));
    const white = await renderSvgToPng(text(CHART_FONT_FAMILY), { background: '#ffffff' });
    expect(white.equals(plain)).toBe(false);
  });

  it.each([
    ['an image by file path', '<image href="/etc/hostname.png" width="4" height="4"/>'],
    ['an image by xlink', '<image xlink:href="file:///tmp/x.png" width="4" height="4"/>'],
    ['a data image', '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="4" height="4"/>'],
    ['a filter image', '<filter id="f"><feImage href="/tmp/x.png"/></filter>'],
  ])('refuses an SVG with %s', async (_kind, element) => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
      `width="4" height="4">${element}</svg>`;
    await expect(renderSvgToPng(svg)).rejects.toThrow(ChartRenderError);
  });

  it('refuses a DOCTYPE, whose entities could hide an image', async () => {
    const svg =
      '<!DOCTYPE svg [<!ENTITY pic "<image href=\'/tmp/x.png\'/>">]>' +
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">&pic;</svg>';
    await expect(renderSvgToPng(svg)).rejects.toThrow('may not embed images or declarations');
  });

  it.each([0, -1, 1.5, MAX_PNG_WIDTH + 1, Number.NaN])('refuses width %p', async (width) => {
    await expect(renderSvgToPng(text(CHART_FONT_FAMILY), { width })).rejects.toThrow(
      ChartRenderError,
    );
  });

  it('rejects text that is not SVG', async () => {
    await expect(renderSvgToPng('not an svg')).rejects.toThrow(ChartRenderError);
  });
});

describe('chartFontFiles', () => {
  it('names TrueType files of the shipped package, one per style', () => {
    const files = chartFontFiles();
    expect(Object.keys(files).sort()).toEqual(['bold', 'boldOblique', 'oblique', 'regular']);
    for (const file of Object.values(files)) {
      expect(file).toMatch(/dejavu-fonts-ttf\/ttf\/DejaVuSans[\w-]*\.ttf$/);
      // sfnt version 1.0: the first four bytes of every TrueType font.
      expect(readFileSync(file).readUInt32BE(0)).toBe(0x00010000);
    }
    expect(new Set(Object.values(files)).size).toBe(4);
  });
});
