import { RequestValidationException } from '@app/common';
import type { MetricFilterDto } from '../dtos/metric.dto';
import type { MetricFilter } from '../repositories/metric-queries';
import { parseQueryTime } from '../series/series-window';

/** The filters of a list or export query, checked (`from` before `to`) and normalised. */
export function metricFilterOf(query: MetricFilterDto): MetricFilter {
  const from = query.from === undefined ? undefined : parseQueryTime(query.from, 'from');
  const to = query.to === undefined ? undefined : parseQueryTime(query.to, 'to');
  if (from !== undefined && to !== undefined && !(from < to)) {
    throw new RequestValidationException([{ field: 'from', message: 'from must be before to' }]);
  }
  return {
    name: query.name,
    datasetId: query.datasetId?.toLowerCase(),
    analysisId: query.analysisId?.toLowerCase(),
    source: query.source,
    from,
    to,
    dimensions: query.dim ?? {},
  };
}
