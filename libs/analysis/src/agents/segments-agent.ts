import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { segmentTests, type SegmentTests, type SegmentTable } from '../statistics/segment-findings';
import { QUALITY_RULES } from './profile-agent';
import { perRun } from './run-memo';
import { failingTool } from '../tools/failing-tool';

/** Rows the tests read: every row up to this many, else a uniform sample of about this many. */
export const SEGMENT_SAMPLE_ROWS = 20_000;
/** Levels a categorical column may have to split the numeric ones (fewer is no grouping, more is an id). */
export const SEGMENT_LEVELS = { min: 2, max: 50 } as const;
/** Characters of a level: a column whose frequent values are longer holds prose, not categories. */
export const SEGMENT_LEVEL_CHARACTERS = 100;
/** Columns tested, in the dataset's order: the tests grow with their product (and pairs). */
export const SEGMENT_MAX_COLUMNS = { categorical: 10, numeric: 20 } as const;

const Group = z.object({ level: z.string(), n: z.number(), mean: z.number(), median: z.number() });

export const Segment = z.object({
  kind: z.enum(['group_difference', 'correlation']),
  /** The numeric column measured. */
  column: z.string(),
  /** The categorical column whose levels split it (group differences), else null. */
  by: z.string().nullable(),
  /** The other numeric column (correlations), else null. */
  with: z.string().nullable(),
  test: z.enum(['kruskal_wallis', 'spearman']),
  /** Kruskal-Wallis H (tie-corrected), or Spearman's t. */
  statistic: z.number(),
  /** Degrees of freedom: levels − 1, or n − 2. */
  df: z.number(),
  pValue: z.number(),
  /** Adjusted by `adjustment` over the `tests` of the dataset. */
  adjustedPValue: z.number(),
  adjustment: z.enum(['holm']),
  /** Tests in the family adjusted together: every categorical × numeric and numeric pair tested. */
  tests: z.number(),
  effect: z.object({ name: z.enum(['epsilon_squared', 'spearman_rho']), value: z.number() }),
  /** The most frequent levels with their n, mean and median (group differences), else []. */
  groups: z.array(Group),
  levels: z.number().nullable(),
  /** The pair of levels that differ most clearly (largest |Dunn z|): higher mean, lower mean. */
  highest: z.string().nullable(),
  lowest: z.string().nullable(),
  /** Mean of `highest` − mean of `lowest`, in the column's units. */
  difference: z.number().nullable(),
  medianDifference: z.number().nullable(),
  contrast: z
    .object({
      n: z.number(),
      z: z.number(),
      /** Dunn's test, Bonferroni-adjusted over the pairs of levels. */
      pValue: z.number(),
      effect: z.object({ name: z.enum(['rank_biserial']), value: z.number() }),
    })
    .nullable(),
  /** Rows with both values (of the sample, when sampled). */
  n: z.number(),
  /** Whether the rows were a uniform sample of a larger table. */
  sampled: z.boolean(),
  description: z.string(),
  /** The tool call that found it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});
export type Segment = z.infer<typeof Segment>;

export const SegmentsOutput = z.object({ segments: z.array(Segment) });
export type SegmentsOutput = z.infer<typeof SegmentsOutput>;

type Columns = AnalysisContext['dataset']['columns'];

/**
 * The columns the segments are tested on: string and boolean columns whose profiled
 * distinct count is within {@link SEGMENT_LEVELS} and whose frequent values are short
 * (≤ {@link SEGMENT_LEVEL_CHARACTERS}: labels, not sentences), and numeric columns that are not
 * identifiers (an integer column of distinct values is a key, not a measure).
 */
export function segmentColumns(dataset: AnalysisContext['dataset']): {
  categorical: Columns;
  numeric: Columns;
} {
  const profileOf = (name: string) => dataset.profile.find((p) => p.name === name);
  const categorical = dataset.columns.filter((column) => {
    const profile = profileOf(column.name);
    const distinct = profile?.distinctCount ?? 0;
    return (
      (column.type === 'string' || column.type === 'boolean') &&
      distinct >= SEGMENT_LEVELS.min &&
      distinct <= SEGMENT_LEVELS.max &&
      (profile?.topValues ?? []).every(
        (top) => String(top.value).length <= SEGMENT_LEVEL_CHARACTERS,
      )
    );
  });
  const numeric = dataset.columns.filter((column) => {
    if (column.type === 'number') return true;
    if (column.type !== 'integer') return false;
    const profile = profileOf(column.name);
    const nonNull = (profile?.count ?? 0) - (profile?.nullCount ?? 0);
    return !(
      nonNull >= QUALITY_RULES.idMinRows &&
      (profile?.distinctCount ?? 0) >= QUALITY_RULES.idDistinctShare * nonNull
    );
  });
  return {
    categorical: categorical.slice(0, SEGMENT_MAX_COLUMNS.categorical),
    numeric: numeric.slice(0, SEGMENT_MAX_COLUMNS.numeric),
  };
}

/**
 * The rows the tests read, in one statement: the categorical columns as text and the
 * numeric ones as float8, of every row up to {@link SEGMENT_SAMPLE_ROWS}, else of a
 * Bernoulli sample of about that many (each row kept with the same chance, fixed by its
 * seed), since ranks need the values themselves and a sample of 20,000 decides any effect
 * worth reporting.
 */
export async function segmentTable(
  context: AnalysisContext,
  columns: { categorical: Columns; numeric: Columns },
): Promise<SegmentTable> {
  const { rows, sampled } = await context.scans.segmentRows(
    context.organizationId,
    context.dataset,
    {
      categorical: columns.categorical.map((c) => c.column),
      numeric: columns.numeric.map((c) => c.column),
    },
    { sampleRows: SEGMENT_SAMPLE_ROWS, levelCharacters: SEGMENT_LEVEL_CHARACTERS },
  );
  return {
    categorical: columns.categorical.map((c, i) => ({
      name: c.name,
      values: rows.map((row) => {
        const value = row[`c${i}`];
        return value === null || value === undefined ? null : String(value);
      }),
    })),
    numeric: columns.numeric.map((c, i) => ({
      name: c.name,
      values: Float64Array.from(rows, (row) => {
        const value = row[`y${i}`];
        return value === null || value === undefined ? NaN : Number(value);
      }),
    })),
    sampled,
    tableRows: context.dataset.rowCount,
  };
}

/** Every segment test of a dataset ({@link segmentTests} over {@link segmentTable}). */
export async function segmentsOf(context: AnalysisContext): Promise<SegmentTests> {
  const columns = segmentColumns(context.dataset);
  return segmentTests(await segmentTable(context, columns));
}

/**
 * The `segments` specialist: how the numeric columns differ between the levels of the
 * categorical ones, and how they move together. One tool call per numeric column (the
 * tool's enum); all of a dataset's tests run once per run and are adjusted as one family,
 * and each call returns the findings about its column.
 */
export function segmentsAgent(
  model: string,
  dataset: AnalysisContext['dataset'],
): Agent<AnalysisContext, typeof SegmentsOutput> {
  const { categorical, numeric } = segmentColumns(dataset);
  const names = numeric.map((c) => c.name);
  const allColumns = perRun<SegmentTests>();
  const tools =
    names.length === 0 || (categorical.length === 0 && names.length < 2)
      ? []
      : [
          failingTool({
            name: 'find_segments',
            description:
              'How a numeric column differs between the levels of categorical columns (Kruskal-Wallis, ' +
              'effect size, the clearest pair of levels) and which numeric columns move with it ' +
              "(Spearman), Holm-adjusted over all of the dataset's tests; only the largest significant effects",
            parameters: z.object({ column: z.enum(names as [string, ...string[]]) }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined)
                throw new Error('find_segments needs the analysis context');
              // Every test in one read of the table, shared by this run's calls.
              const found = await allColumns(runContext, () => segmentsOf(runContext.context));
              const toolCallId = details?.toolCall?.callId ?? null;
              return JSON.stringify({
                segments: found.findings
                  .filter((finding) => finding.column === column)
                  .map((finding) => ({
                    ...finding,
                    adjustment: found.adjustment,
                    tests: found.tests,
                    toolCallId,
                  })),
              });
            },
          }),
        ];
  return new Agent<AnalysisContext, typeof SegmentsOutput>({
    name: 'segments',
    model,
    instructions:
      'You find segments: for every numeric column, call find_segments and report what it ' +
      'returns, as it returns it.',
    tools,
    outputType: SegmentsOutput,
  });
}
