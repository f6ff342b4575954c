import { renderAsync } from '@resvg/resvg-js';
import { CHART_FONT_FAMILY, chartFontFiles } from './chart-fonts';
import { ChartRenderError, toChartRenderError } from './chart-render-error';

/** Widest PNG rendered, in pixels: a page-wide chart at 300 dpi is ~2,500. */
export const MAX_PNG_WIDTH = 4096;

export interface SvgToPngOptions {
  /** Width of the PNG in pixels (height keeps the aspect ratio); the SVG's own by default. */
  width?: number;
  /** A CSS colour painted under the SVG; transparent by default. */
  background?: string;
}

/**
 * resvg reads an `<image>`'s file path from disk (and an SVG inside a `data:` image may name
 * one in turn), and an entity declared in a DOCTYPE could hide such an element from this
 * check: charts have neither, so an SVG that has either is refused.
 */
const FORBIDDEN = /<!DOCTYPE|<!ENTITY|<(?:[\w-]+:)?(?:image|feImage)\b/i;

/**
 * Renders an SVG (a chart from renderVegaLiteSvg) to PNG with the chart font shipped with
 * the app and no system font, so the picture is the same on every machine. Rendering runs
 * off the event loop. Rejects with ChartRenderError on an invalid SVG or option, or an SVG
 * that embeds images.
 */
export async function renderSvgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Buffer> {
  const { width, background } = options;
  if (width !== undefined && !(Number.isInteger(width) && width > 0 && width <= MAX_PNG_WIDTH)) {
    throw new ChartRenderError(`PNG width must be a whole number from 1 to ${MAX_PNG_WIDTH}`);
  }
  const forbidden = FORBIDDEN.exec(svg);
  if (forbidden) {
    throw new ChartRenderError(`SVG may not embed images or declarations: found ${forbidden[0]}`);
  }
  try {
    const rendered = await renderAsync(svg, {
      font: {
        loadSystemFonts: false,
        fontFiles: Object.values(chartFontFiles()),
        defaultFontFamily: CHART_FONT_FAMILY,
        sansSerifFamily: CHART_FONT_FAMILY,
      },
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      ...(background === undefined ? {} : { background }),
      logLevel: 'off',
    });
    return rendered.asPng();
  } catch (error) {
    throw toChartRenderError(error);
  }
}
