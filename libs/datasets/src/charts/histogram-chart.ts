import { renderVegaLiteSvg as renderSvg } from '@app/common';

export interface HistogramBin {
  /** Bin bounds: numbers, or ISO-8601 times for a time column. */
  start: number | string;
  end: number | string;
  count: number;
}

export interface CategoryCount {
  value: string;
  count: number;
}

const WIDTH = 480;
const HEIGHT = 240;

/** Bars over value ranges for a numeric or time column. */
export function histogramSvg(
  title: string,
  bins: HistogramBin[],
  temporal: boolean,
): Promise<string> {
  const type = temporal ? 'temporal' : 'quantitative';
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: bins },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'start', type, bin: { binned: true }, title },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'rows' },
    },
  });
}

/** Bars per value for a text or boolean column (its most frequent values). */
export function categorySvg(title: string, values: CategoryCount[]): Promise<string> {
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'value', type: 'nominal', sort: '-y', title },
      y: { field: 'count', type: 'quantitative', title: 'rows' },
    },
  });
}
