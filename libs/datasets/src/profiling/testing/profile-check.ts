import type { ColumnType } from '../../csv/type-inference';
import {
  ColumnProfiler,
  type ColumnProfile,
  type ColumnProfilerState,
  type ColumnValue,
} from '../column-profiler';
import { DistinctCounter } from '../distinct-counter';
import { QuantileSketch } from '../quantile-sketch';
import { exactCounts, exactMoments, rankError, unevenChunks } from './reference';

export const RANK_BOUND = QuantileSketch.rankErrorBound(200);
const DISTINCT_BOUND = 3 * DistinctCounter.standardError(14);
const QUANTILES = { p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;

export interface Column {
  name: string;
  type: ColumnType;
  values: ColumnValue[];
}

export function profileOf({ name, type, values }: Column): ColumnProfiler {
  const profiler = new ColumnProfiler(name, type);
  values.forEach((value) => profiler.add(value));
  return profiler;
}

function relativeError(actual: number | null, expected: number | null): number {
  if (actual === null || expected === null) return actual === expected ? 0 : Infinity;
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

type Present = Exclude<ColumnValue, null>;

/** The value a profile reports for a non-null cell, computed without the profiler's code. */
function reported(type: ColumnType, value: Present): number | boolean | string {
  if (typeof value !== 'object') return value;
  return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
}

/** Not null, NaN, ±Infinity nor an invalid Date (x − x is 0 exactly for finite x). */
function isPresent(value: ColumnValue): value is Present {
  if (value === null) return false;
  if (typeof value === 'number') return value - value === 0;
  if (typeof value === 'object') return value.getTime() - value.getTime() === 0;
  return true;
}

/** Compares a profile with an independent exact computation; returns every mismatch. */
export function mismatches(profile: ColumnProfile, { type, values }: Column): string[] {
  const present = values.filter(isPresent);
  const problems: string[] = [];
  const check = (what: string, ok: boolean, detail: unknown) =>
    ok || problems.push(`${what}: ${JSON.stringify(detail)}`);
  check('count', profile.count === values.length, [profile.count, values.length]);
  check('nullCount', profile.nullCount === values.length - present.length, profile.nullCount);

  const numeric = type === 'integer' || type === 'number';
  const ordered = numeric || type === 'date' || type === 'datetime';
  const keys = present.map((v) =>
    typeof v === 'object' ? v.getTime() : typeof v === 'boolean' ? +v : v,
  );
  if (ordered && present.length > 0) {
    const sortedKeys = Float64Array.from(keys as number[]).sort();
    const asValue = (key: number) => (numeric ? key : reported(type, new Date(key)));
    check('min', profile.min === asValue(sortedKeys[0]), profile.min);
    check('max', profile.max === asValue(sortedKeys[sortedKeys.length - 1]), profile.max);
  } else {
    check('min/max null', profile.min === null && profile.max === null, [profile.min, profile.max]);
  }

  if (numeric && present.length > 0) {
    const exact = exactMoments(present as number[]);
    check('mean', relativeError(profile.mean, exact.mean) <= 1e-9, [profile.mean, exact.mean]);
    check('stddev', relativeError(profile.stddev, exact.stddev) <= 1e-9, [
      profile.stddev,
      exact.stddev,
    ]);
    const sorted = Float64Array.from(present as number[]).sort();
    const bound = sorted.length <= 200 ? 0 : RANK_BOUND;
    for (const [key, q] of Object.entries(QUANTILES)) {
      const value = profile.quantiles[key as keyof typeof QUANTILES] as number;
      check(`quantile ${key}`, rankError(sorted, q, value) <= bound, [
        value,
        rankError(sorted, q, value),
      ]);
    }
  } else {
    check('moments null', profile.mean === null && profile.stddev === null, [
      profile.mean,
      profile.stddev,
    ]);
    check(
      'quantiles null',
      Object.values(profile.quantiles).every((v) => v === null),
      profile.quantiles,
    );
  }

  const counts = exactCounts(keys.map((k) => (k === 0 ? 0 : k)));
  const distinct = counts.size;
  if (distinct <= 10_000)
    check('distinct exact', profile.distinctCount === distinct, [profile.distinctCount, distinct]);
  else
    check('distinct', relativeError(profile.distinctCount, distinct) <= DISTINCT_BOUND, [
      profile.distinctCount,
      distinct,
    ]);

  const asReported = (key: number | string) =>
    typeof key === 'string'
      ? key
      : type === 'boolean'
        ? key === 1
        : reported(type, numeric ? key : new Date(key));
  if (distinct <= 100) {
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([key, count]) => ({ value: asReported(key), count }));
    check(
      'topValues exact',
      JSON.stringify(profile.topValues) === JSON.stringify(expected),
      profile.topValues,
    );
  } else {
    // Back from the reported value to its key: cheaper than formatting every distinct key.
    const keyOf = (value: number | boolean | string): number | string =>
      typeof value === 'boolean'
        ? +value
        : typeof value === 'string' && type !== 'string'
          ? Date.parse(value)
          : value;
    for (const { value, count } of profile.topValues) {
      const f = counts.get(keyOf(value)) ?? 0;
      check(`top ${String(value)}`, count <= f && f <= count + present.length / 100, [count, f]);
    }
  }
  return problems;
}

export function mergedInChunks(column: Column): ColumnProfiler {
  return (
    unevenChunks(column.values, 7)
      .map((values) => profileOf({ ...column, values }))
      // Through JSON, as partial profiles travel between workers.
      .map((partial) => JSON.parse(JSON.stringify(partial)) as ColumnProfilerState)
      .map((state) => ColumnProfiler.fromJSON(state))
      .reduce((a, b) => a.merge(b))
  );
}
