import { bucketCount, type SeriesDto, SERIES_INTERVALS, type SeriesInterval } from '@app/metrics';

/** Most values (buckets × groups) a series may have when the interval is chosen for it. */
export const AUTO_INTERVAL_MAX_VALUES = 5_000;

/** The label of the `other` run of a grouped series (the values beyond the kept groups). */
export const OTHER_GROUP = '(other)';

/**
 * The interval when the request names none: the finest of minute … month whose series
 * has at most {@link AUTO_INTERVAL_MAX_VALUES} values and no more buckets than twice the
 * metric's points — so most buckets hold a point, and the series is long enough to show
 * cycles without being more buckets than data. Month when none qualifies.
 */
export function chooseInterval(
  window: { from: Date; to: Date },
  points: number,
  runs: number,
): SeriesInterval {
  const chosen = SERIES_INTERVALS.find((interval) => {
    const values = bucketCount(window.from, window.to, interval) * runs;
    return values <= AUTO_INTERVAL_MAX_VALUES && values <= 2 * points;
  });
  return chosen ?? 'month';
}

/** The columns a metric's series is stored in: its time, its value and (grouped) its group. */
export interface SeriesColumns {
  time: string;
  value: string;
  group?: string;
}

/**
 * Column names for a series: `time`, the metric's name for the value (so the analysis'
 * findings name the metric), the `groupBy` key for the group; a clash falls back to
 * `value` and `group`.
 */
export function seriesColumns(name: string, groupBy: string | undefined): SeriesColumns {
  const value = name === 'time' ? 'value' : name;
  if (groupBy === undefined) return { time: 'time', value };
  const group = groupBy === 'time' || groupBy === value ? 'group' : groupBy;
  return { time: 'time', value, group };
}

/**
 * A series as flat records, one per bucket (and group) with a value: empty buckets are
 * left out (a `count` series has none: its empty buckets are 0), the `other` run is
 * labelled {@link OTHER_GROUP}, points without the `groupBy` key have a missing group.
 */
export function seriesRecords(
  series: Pick<SeriesDto, 'points'>,
  columns: SeriesColumns,
): Array<Record<string, string | number | null>> {
  const records: Array<Record<string, string | number | null>> = [];
  for (const point of series.points) {
    if (point.value === null) continue;
    const record: Record<string, string | number | null> = {
      [columns.time]: point.t,
      [columns.value]: point.value,
    };
    if (columns.group !== undefined)
      record[columns.group] = point.other === true ? OTHER_GROUP : (point.group ?? null);
    records.push(record);
  }
  return records;
}
