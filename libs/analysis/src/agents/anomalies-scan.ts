import type { AnalysisContext } from '../orchestration/analysis-context';
import type { PartCandidate } from '../repositories/dataset-scans.repository';
import { partsOf } from '../repositories/table-parts';
import { IQR_FENCE, ordinaryBand, ROBUST_Z_LIMIT } from '../statistics/anomaly-band';
import { roundForWords } from '../statistics/season-profile';
import { findColumn } from './series-query';

/** A value reported in one part of the table, where its row is counted from the part's start. */
export type { PartCandidate };

/**
 * Every column's reported values across the parts: the farthest from the median first (the
 * earlier row first among equals), at most `max` a column, with their 1-based row of the
 * file: the rows of the parts before theirs, then theirs.
 */
export function mergeParts(
  parts: ReadonlyArray<readonly PartCandidate[]>,
  partRows: readonly number[],
  max: number,
): Array<PartCandidate & { row: number }> {
  let offset = 0;
  const all = parts.flatMap((part, k) => {
    const start = offset;
    offset += partRows[k] ?? 0;
    return part.map((candidate) => ({ ...candidate, row: start + candidate.before + 1 }));
  });
  all.sort((a, b) => a.col - b.col || b.distance - a.distance || a.row - b.row);
  const kept = new Map<number, number>();
  return all.filter((candidate) => {
    const count = (kept.get(candidate.col) ?? 0) + 1;
    kept.set(candidate.col, count);
    return count <= max;
  });
}

/** Each column's anomalies found across the parts (each part counts its own). */
export function foundAcrossParts(
  parts: ReadonlyArray<readonly PartCandidate[]>,
): Map<number, number> {
  const found = new Map<number, number>();
  for (const part of parts) {
    const seen = new Set<number>();
    for (const candidate of part) {
      if (seen.has(candidate.col)) continue;
      seen.add(candidate.col);
      found.set(candidate.col, (found.get(candidate.col) ?? 0) + candidate.found);
    }
  }
  return found;
}

/** A value of a large table without time that is far from the rest of its column. */
export interface ScannedAnomaly {
  row: number;
  value: number;
  expected: number;
  band: { low: number; high: number };
  /** |robust z|, or the largest finite number past the fences with MAD = 0. */
  score: number;
  reason: string;
}

/**
 * Anomalies of the numeric columns of a table without a time column, too large to read
 * into memory, in PostgreSQL: a value is reported when its robust z-score exceeds
 * {@link ROBUST_Z_LIMIT} or it lies beyond the far-out IQR fences (only the fences with
 * MAD = 0); at most `max` a column, the farthest from the median first, with the count of
 * all. A few statements whatever the number of columns: the spreads (from a sample of a
 * large table), then the test of every row, split over consecutive parts of the table run
 * at once (`DatasetScansRepository`'s `anomalySpreads`, `anomalyCandidates`, `partRows`),
 * merged by {@link mergeParts}.
 */
export async function scanAnomalies(
  context: AnalysisContext,
  columns: readonly string[],
  max: number,
): Promise<Map<string, { anomalies: ScannedAnomaly[]; found: number }>> {
  const { organizationId, dataset, scans } = context;
  const ys = columns.map((name) => findColumn(context, name));
  const stored = ys.map((y) => y.column);
  const result = new Map(ys.map((y) => [y.name, { anomalies: [] as ScannedAnomaly[], found: 0 }]));
  const measured = await scans.anomalySpreads(organizationId, dataset, stored);
  const tested = measured.spreads.flatMap((spread, i) =>
    spread === undefined ? [] : [{ i, spread }],
  );
  if (tested.length === 0) return result;

  // The parts run at once, each on its own connection; so do the counts of their rows.
  const parts = partsOf(measured.pages);
  const [candidates, partRows] = await Promise.all([
    Promise.all(
      parts.map((part) =>
        scans.anomalyCandidates(organizationId, dataset, stored, tested, part, max),
      ),
    ),
    Promise.all(parts.slice(0, -1).map((part) => scans.partRows(organizationId, dataset, part))),
  ]);
  for (const [col, found] of foundAcrossParts(candidates)) {
    const entry = result.get(ys[col]?.name ?? '');
    if (entry !== undefined) entry.found = found;
  }
  for (const row of mergeParts(candidates, partRows, max)) {
    const spread = tested.find((c) => c.i === row.col)?.spread;
    const entry = result.get(ys[row.col]?.name ?? '');
    if (spread === undefined || entry === undefined) continue;
    const band = ordinaryBand(spread);
    const above = row.value > spread.median;
    const reason =
      row.robustZ !== null && row.robustZ > ROBUST_Z_LIMIT
        ? `value ${roundForWords(row.value)} has a robust z-score of ${roundForWords(row.robustZ)} ` +
          `(> ${ROBUST_Z_LIMIT}) ${above ? 'above' : 'below'} the median ${roundForWords(spread.median)}`
        : `value ${roundForWords(row.value)} is ${above ? 'above' : 'below'} the far-out IQR fence ` +
          `(k = ${IQR_FENCE})`;
    const score = row.robustZ ?? Infinity;
    entry.anomalies.push({
      row: row.row,
      value: row.value,
      expected: spread.median,
      band,
      score: Number.isFinite(score) ? score : Number.MAX_VALUE,
      reason,
    });
  }
  return result;
}
