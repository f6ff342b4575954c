import type { MetricDimensions, MetricSource } from '../entities/metric.entity';

/**
 * What the metrics repository reads and writes: provenance, filters, rows, and the
 * series queries and their answers.
 */

/** Where a write came from, the same for every metric of the write. */
export interface MetricProvenance {
  source: MetricSource;
  analysisId: string | null;
  agent: string | null;
  toolCallId: string | null;
  /** Principal (user or API key id) whose request wrote them. */
  createdBy: string;
}

/** The filters of `GET /v1/metrics` and its export; every field narrows. */
export interface MetricFilter {
  name?: string;
  datasetId?: string;
  analysisId?: string;
  source?: MetricSource;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  dimensions: MetricDimensions;
}

export interface MetricRow {
  id: string;
  name: string;
  value: number;
  unit: string | null;
  dimensions: MetricDimensions;
  observedAt: Date;
  source: MetricSource;
  datasetId: string | null;
  analysisId: string | null;
  agent: string | null;
  toolCallId: string | null;
  createdAt: Date;
}

export interface MetricNameRow {
  name: string;
  count: number;
  lastObservedAt: Date;
}

export const SERIES_INTERVALS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type SeriesInterval = (typeof SERIES_INTERVALS)[number];
export const SERIES_AGGREGATES = ['avg', 'sum', 'min', 'max', 'count', 'p50', 'p95'] as const;
export type SeriesAggregate = (typeof SERIES_AGGREGATES)[number];

export interface SeriesQuery {
  name: string;
  from: Date;
  to: Date;
  interval: SeriesInterval;
  agg: SeriesAggregate;
  groupBy?: string;
  /** With `groupBy`: how many of its values keep their own run (the rest fold into `other`). */
  groups: number;
  /** Only metrics whose dimensions include all of these (absent or empty: every metric). */
  dimensions?: MetricDimensions;
}

/** Which metrics of a name a {@link MetricSpan} measures; every field but `name` narrows. */
export interface MetricSpanQuery {
  name: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  dimensions: MetricDimensions;
  /** Count the distinct values of this dimension key too (metrics without it: one more). */
  groupBy?: string;
}

/** Where a metric's points lie: the first and last observation, how many, in how many groups. */
export interface MetricSpan {
  first: Date;
  last: Date;
  count: number;
  /** Distinct values of `groupBy` (the `null` group included); 1 without `groupBy`. */
  groups: number;
}

export interface SeriesRow {
  t: Date;
  group: string | null;
  /** A bucket of the `other` run: every value of `groupBy` outside the kept groups. */
  other: boolean;
  value: number | null;
}

/** The values of a series' `groupBy` that keep their own run, and how many there are in all. */
export interface SeriesGroups {
  kept: Array<string | null>;
  /** Distinct values (the `null` group included) in the window. */
  total: number;
}
