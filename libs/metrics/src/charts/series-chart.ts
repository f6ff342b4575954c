import { renderVegaLiteSvg } from '@app/common';
import type { SeriesDto } from '../dtos/metric.dto';

/** A series as a line chart (one line per group, `other` last), gaps where buckets are empty. */
export function seriesSvg(series: SeriesDto): Promise<string> {
  const grouped = series.groupBy !== undefined;
  return renderVegaLiteSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${series.name} (${series.agg} per ${series.interval})`,
    width: 640,
    height: 280,
    data: {
      values: series.points.map((point) => ({
        t: point.t,
        value: point.value,
        group: point.other === true ? '(other)' : (point.group ?? '(none)'),
      })),
    },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 't', type: 'temporal', title: 'time (UTC)' },
      y: { field: 'value', type: 'quantitative', title: `${series.agg}(${series.name})` },
      ...(grouped ? { color: { field: 'group', type: 'nominal', title: series.groupBy } } : {}),
    },
  });
}
