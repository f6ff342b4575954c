import { dunnZ, type KruskalWallis, kruskalWallis, kruskalWallisOfRanks } from './kruskal-wallis';
import { mannWhitney } from './mann-whitney';
import { normalCdf } from './normal';
import { holm } from './p-adjust';
import { averageRanks, type Ranking } from './ranks';
import { type Spearman, spearman, spearmanOfRanks } from './spearman';

/** Family-wise significance level (Holm over every test of a table). */
export const SEGMENT_ALPHA = 0.05;
/** Smallest ε² reported: a "small" effect by the usual convention; below it, noise at large n. */
export const MIN_EPSILON_SQUARED = 0.01;
/** Smallest |ρ| reported: a moderate monotone association. */
export const MIN_ABS_RHO = 0.3;
/** Most findings of each kind, the largest effects first. */
export const MAX_FINDINGS_PER_KIND = 5;
/** Most groups a finding lists (the most frequent, with the contrast's two always in). */
export const MAX_GROUPS_LISTED = 10;

/** Rows of a table (or a uniform sample of it), column by column. */
export interface SegmentTable {
  /** Values of each categorical column; null where missing. */
  categorical: ReadonlyArray<{ name: string; values: ReadonlyArray<string | null> }>;
  /** Values of each numeric column; NaN where missing. */
  numeric: ReadonlyArray<{ name: string; values: ArrayLike<number> }>;
  /** Whether the rows are a sample of a larger table. */
  sampled: boolean;
  /** Rows in the whole table (the sample's population when sampled). */
  tableRows: number;
}

export interface SegmentGroup {
  level: string;
  n: number;
  mean: number;
  median: number;
}

export interface SegmentFinding {
  kind: 'group_difference' | 'correlation';
  /** The numeric column measured. */
  column: string;
  /** The categorical column whose levels split it (group differences), else null. */
  by: string | null;
  /** The other numeric column (correlations), else null. */
  with: string | null;
  test: 'kruskal_wallis' | 'spearman';
  /** Kruskal-Wallis H, or Spearman's t. */
  statistic: number;
  /** Its degrees of freedom: levels − 1, or n − 2. */
  df: number;
  pValue: number;
  /** Holm-adjusted over every test of the table ({@link SegmentTests.tests}). */
  adjustedPValue: number;
  effect: { name: 'epsilon_squared' | 'spearman_rho'; value: number };
  /** The most frequent levels, each with its n, mean and median (group differences). */
  groups: SegmentGroup[];
  /** Levels compared (group differences), else null. */
  levels: number | null;
  /** Of the pair of levels that differ most clearly (largest |Dunn z|): the higher mean. */
  highest: string | null;
  lowest: string | null;
  /** Mean of `highest` − mean of `lowest`, in the column's units. */
  difference: number | null;
  medianDifference: number | null;
  /** That pair's own test: Dunn's z (Bonferroni over the pairs) and its rank-biserial effect. */
  contrast: {
    n: number;
    z: number;
    pValue: number;
    effect: { name: 'rank_biserial'; value: number };
  } | null;
  /** Rows with both values (of the sample when sampled). */
  n: number;
  sampled: boolean;
  description: string;
}

export interface SegmentTests {
  findings: SegmentFinding[];
  /** Tests in the family the p-values were adjusted over. */
  tests: number;
  adjustment: 'holm';
  /** Tests significant before adjustment (p < {@link SEGMENT_ALPHA}): what no adjustment would report. */
  unadjustedSignificant: number;
  /** Tests significant after adjustment, before the effect-size floor and the top-N cut. */
  significant: number;
}

interface GroupTest {
  kind: 'group_difference';
  column: string;
  by: string;
  kw: KruskalWallis;
  groups: Array<{ level: string; values: number[] }>;
}
interface CorrelationTest {
  kind: 'correlation';
  column: string;
  with: string;
  test: Spearman;
}
type Test = GroupTest | CorrelationTest;

/**
 * Group differences and correlations worth reporting in a table: every categorical
 * column against every numeric column (Kruskal-Wallis across its levels) and every pair
 * of numeric columns (Spearman), all p-values Holm-adjusted as one family; kept are the
 * tests significant at {@link SEGMENT_ALPHA} after adjustment whose effect reaches
 * {@link MIN_EPSILON_SQUARED} or {@link MIN_ABS_RHO}, the {@link MAX_FINDINGS_PER_KIND}
 * largest effects of each kind. A group difference names the pair of levels that differ
 * most clearly (Dunn's post-hoc z), with the difference of their means and medians.
 */
export function segmentTests(table: SegmentTable): SegmentTests {
  // A column without missing values is ranked once for all its tests (the common case).
  const rankings = table.numeric.map((y) =>
    complete(y.values) ? averageRanks(y.values) : undefined,
  );
  const tests: Test[] = [];
  table.numeric.forEach((y, i) => {
    for (const x of table.categorical) {
      const { groups, groupOf } = groupsOf(x.values, y.values);
      if (groups.length < 2) continue;
      const ranking = rankings[i];
      const kw =
        ranking !== undefined && groupOf.length === y.values.length
          ? kruskalWallisOfRanks(ranking.ranks, ranking.tieTerm, groupOf, groups.length)
          : kruskalWallis(groups.map((group) => group.values));
      if (kw.df >= 1 && kw.tieCorrection > 0)
        tests.push({ kind: 'group_difference', column: y.name, by: x.name, kw, groups });
    }
  });
  table.numeric.forEach((y, i) => {
    table.numeric.slice(i + 1).forEach((other, k) => {
      const [rx, ry]: Array<Ranking | undefined> = [rankings[i], rankings[i + 1 + k]];
      const test =
        rx !== undefined && ry !== undefined
          ? spearmanOfRanks(rx.ranks, ry.ranks)
          : spearman(y.values, other.values);
      if (test.n >= 3 && test.t !== 0)
        tests.push({ kind: 'correlation', column: y.name, with: other.name, test });
    });
  });
  const pValues = tests.map((test) => (test.kind === 'correlation' ? test.test : test.kw).pValue);
  const adjusted = holm(pValues);
  const significant = tests
    .map((test, i) => ({ test, pValue: pValues[i], adjustedPValue: adjusted[i] }))
    .filter((entry) => entry.adjustedPValue < SEGMENT_ALPHA);
  const effect = ({ test }: { test: Test }) =>
    test.kind === 'correlation' ? Math.abs(test.test.rho) : test.kw.epsilonSquared;
  const top = (kind: Test['kind'], floor: number) =>
    significant
      .filter((entry) => entry.test.kind === kind && effect(entry) >= floor)
      .sort((a, b) => effect(b) - effect(a))
      .slice(0, MAX_FINDINGS_PER_KIND);
  const findings = [
    ...top('group_difference', MIN_EPSILON_SQUARED).map(({ test, pValue, adjustedPValue }) =>
      groupFinding(test as GroupTest, pValue, adjustedPValue, table),
    ),
    ...top('correlation', MIN_ABS_RHO).map(({ test, pValue, adjustedPValue }) =>
      correlationFinding(test as CorrelationTest, pValue, adjustedPValue, table),
    ),
  ];
  return {
    findings,
    tests: tests.length,
    adjustment: 'holm',
    unadjustedSignificant: pValues.filter((p) => p < SEGMENT_ALPHA).length,
    significant: significant.length,
  };
}

function complete(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * The values of `y` per level of `x` (rows with both), levels in order of first sight; and
 * while no row has been left out, each row's group (`groupOf`, shorter than `y` once one is).
 */
function groupsOf(
  levels: ReadonlyArray<string | null>,
  y: ArrayLike<number>,
): { groups: Array<{ level: string; values: number[] }>; groupOf: Int32Array } {
  const index = new Map<string, number>();
  const groups: Array<{ level: string; values: number[] }> = [];
  const groupOf = new Int32Array(y.length);
  let whole = levels.length === y.length;
  for (let i = 0; i < Math.min(levels.length, y.length); i++) {
    const level = levels[i];
    if (level === null || !Number.isFinite(y[i])) {
      whole = false;
      continue;
    }
    let g = index.get(level);
    if (g === undefined) {
      g = groups.length;
      index.set(level, g);
      groups.push({ level, values: [] });
    }
    groups[g].values.push(y[i]);
    groupOf[i] = g;
  }
  return { groups, groupOf: whole ? groupOf : groupOf.subarray(0, 0) };
}

function groupFinding(
  test: GroupTest,
  pValue: number,
  adjustedPValue: number,
  table: SegmentTable,
): SegmentFinding {
  const { kw, groups } = test;
  const summaries = groups.map((group) => summary(group.level, group.values));
  // The clearest pair: largest |Dunn z| (a big gap between two rare levels is weaker evidence).
  let best = { a: 0, b: 1, z: 0 };
  for (let a = 0; a < groups.length; a++) {
    for (let b = a + 1; b < groups.length; b++) {
      const z = dunnZ(
        kw,
        { meanRank: kw.meanRanks[a], n: groups[a].values.length },
        { meanRank: kw.meanRanks[b], n: groups[b].values.length },
      );
      if (Math.abs(z) > Math.abs(best.z)) best = { a, b, z };
    }
  }
  const [high, low] =
    summaries[best.a].mean >= summaries[best.b].mean ? [best.a, best.b] : [best.b, best.a];
  const highest = summaries[high];
  const lowest = summaries[low];
  const pairs = (groups.length * (groups.length - 1)) / 2;
  const pair = mannWhitney(groups[high].values, groups[low].values);
  const listed = [...summaries]
    .sort((a, b) => b.n - a.n || a.level.localeCompare(b.level))
    .filter((group, rank) => rank < MAX_GROUPS_LISTED - 2 || group === highest || group === lowest)
    .slice(0, MAX_GROUPS_LISTED);
  const difference = highest.mean - lowest.mean;
  const contrastN = highest.n + lowest.n;
  return {
    kind: 'group_difference',
    column: test.column,
    by: test.by,
    with: null,
    test: 'kruskal_wallis',
    statistic: kw.h,
    df: kw.df,
    pValue,
    adjustedPValue,
    effect: { name: 'epsilon_squared', value: kw.epsilonSquared },
    groups: listed,
    levels: groups.length,
    highest: highest.level,
    lowest: lowest.level,
    difference,
    medianDifference: highest.median - lowest.median,
    contrast: {
      n: contrastN,
      z: Math.abs(best.z),
      pValue: Math.min(1, pairs * 2 * (1 - normalCdf(Math.abs(best.z)))),
      effect: { name: 'rank_biserial', value: pair.rankBiserial },
    },
    n: kw.n,
    sampled: table.sampled,
    description:
      `${test.column} averages ${figure(difference)} higher when ${test.by} is ${highest.level} ` +
      `than when it is ${lowest.level} (${figure(highest.mean)} vs ${figure(lowest.mean)}, ` +
      `n = ${count(contrastN)})${sampleNote(table)}; across the ${groups.length} levels of ` +
      `${test.by}, Kruskal-Wallis ε² = ${figure(kw.epsilonSquared)}, Holm-adjusted p ${pText(adjustedPValue)}.`,
  };
}

function correlationFinding(
  { column, with: other, test }: CorrelationTest,
  pValue: number,
  adjustedPValue: number,
  table: SegmentTable,
): SegmentFinding {
  const direction = test.rho > 0 ? 'rise together' : 'move in opposite directions';
  return {
    kind: 'correlation',
    column,
    by: null,
    with: other,
    test: 'spearman',
    // ρ = ±1 gives t = ±∞, which JSON cannot carry: the largest double stands for it.
    statistic: Number.isFinite(test.t) ? test.t : Math.sign(test.t) * Number.MAX_VALUE,
    df: test.n - 2,
    pValue,
    adjustedPValue,
    effect: { name: 'spearman_rho', value: test.rho },
    groups: [],
    levels: null,
    highest: null,
    lowest: null,
    difference: null,
    medianDifference: null,
    contrast: null,
    n: test.n,
    sampled: table.sampled,
    description:
      `${column} and ${other} ${direction}: Spearman ρ = ${figure(test.rho)} ` +
      `(n = ${count(test.n)})${sampleNote(table)}, Holm-adjusted p ${pText(adjustedPValue)}.`,
  };
}

function summary(level: string, values: number[]): SegmentGroup {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  let sum = 0;
  for (const value of values) sum += value;
  return { level, n: values.length, mean: sum / values.length, median };
}

/** Three significant digits: the guardrail finds them in the exact numbers of the output. */
const figure = (x: number) => String(Number(x.toPrecision(3)));
const count = (n: number) => n.toLocaleString('en-US');
const pText = (p: number) => (p < 0.001 ? '< 0.001' : `= ${figure(p)}`);
const sampleNote = (table: SegmentTable) =>
  table.sampled ? ` in a uniform sample of rows of the ${count(table.tableRows)}` : '';
