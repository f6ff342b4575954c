import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Config } from 'vega';
import { ChartRenderError } from './chart-render-error';

/** The one font family of every chart, shipped with the app so SVG, PNG and PDF text match. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/** The TrueType files of {@link CHART_FONT_FAMILY}, one per style a chart can ask for. */
export type ChartFontFiles = Readonly<
  Record<'regular' | 'bold' | 'oblique' | 'boldOblique', string>
>;

let located: ChartFontFiles | undefined;

/**
 * Paths of the chart font files in the `dejavu-fonts-ttf` package, for resvg and for a PDF
 * renderer to register. Throws ChartRenderError when the package or a file is missing.
 */
export function chartFontFiles(): ChartFontFiles {
  located ??= locate();
  return located;
}

function locate(): ChartFontFiles {
  // Resolved from this file: webpack leaves `__filename` as Node sets it (dist/apps/<app>/…)
  // and keeps node_modules external, so source, bundle and image find the same package.
  let dir: string;
  try {
    dir = join(dirname(createRequire(__filename).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  } catch (error) {
    throw new ChartRenderError('chart fonts are missing: dejavu-fonts-ttf is not installed', {
      cause: error,
    });
  }
  const files: ChartFontFiles = {
    regular: join(dir, 'DejaVuSans.ttf'),
    bold: join(dir, 'DejaVuSans-Bold.ttf'),
    oblique: join(dir, 'DejaVuSans-Oblique.ttf'),
    boldOblique: join(dir, 'DejaVuSans-BoldOblique.ttf'),
  };
  const missing = Object.values(files).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new ChartRenderError(`chart fonts are missing: ${missing.join(', ')}`);
  }
  return files;
}

/**
 * Vega's defaults with every text style in the chart font (Vega's own default is the
 * generic `sans-serif`, which each renderer would map to a different face). A spec's own
 * `config` still wins: Vega merges it over this one.
 */
export const CHART_VEGA_CONFIG: Config = {
  text: { font: CHART_FONT_FAMILY },
  style: {
    'guide-label': { font: CHART_FONT_FAMILY },
    'guide-title': { font: CHART_FONT_FAMILY },
    'group-title': { font: CHART_FONT_FAMILY },
    'group-subtitle': { font: CHART_FONT_FAMILY },
  },
};
