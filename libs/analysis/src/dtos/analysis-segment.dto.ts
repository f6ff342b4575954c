import { ApiProperty } from '@nestjs/swagger';
import { Segment } from '../agents/segments-agent';
import { MAX_GROUPS_LISTED } from '../statistics/segment-findings';

// The bounds of analysis-result.dto.ts, restated: it imports this file, so importing them from
// it would read them before they are set.
const MAX_RESULT_TEXT = 20_000;
const MAX_COLUMN_NAME = 256;
const MAX_TOOL_CALL_ID = 200;
const MAX_ROW = Number.MAX_SAFE_INTEGER;

export class AnalysisSegmentEffectDto {
  /** `epsilon_squared` (Kruskal-Wallis, 0–1) or `spearman_rho` (−1 to 1). */
  @ApiProperty({ enum: Segment.shape.effect.shape.name.options })
  name!: string;
  /** The effect size: ε² from 0 (no difference) to 1, or ρ from −1 to 1. */
  @ApiProperty({ minimum: -1, maximum: 1 })
  value!: number;
}

export class AnalysisSegmentGroupDto {
  /** The level (a value of the grouping column, as text). */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  level!: string;
  /** Rows of this level with a value (of the sample when sampled). */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_ROW })
  n!: number;
  /** Mean of the column over the level's rows, in the column's units. */
  mean!: number;
  /** Median of the column over the level's rows, in the column's units. */
  median!: number;
}

export class AnalysisSegmentContrastEffectDto {
  /** Rank-biserial correlation of the pair (= Cliff's delta), > 0 when `highest` ranks higher. */
  @ApiProperty({ enum: ['rank_biserial'] })
  name!: string;
  /** The rank-biserial correlation, −1 to 1. */
  @ApiProperty({ minimum: -1, maximum: 1 })
  value!: number;
}

export class AnalysisSegmentContrastDto {
  /** Rows of the two levels. */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_ROW })
  n!: number;
  /** |Dunn's z| of the pair, from the Kruskal-Wallis ranking. */
  @ApiProperty({ minimum: 0 })
  z!: number;
  /** Dunn's test, Bonferroni-adjusted over the pairs of levels. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  pValue!: number;
  /** The pair's effect size. */
  effect!: AnalysisSegmentContrastEffectDto;
}

/**
 * A segment finding (docs/analyses.md, Segments): how a numeric column differs between the
 * levels of a categorical one, or how two numeric columns move together.
 */
export class AnalysisSegmentDto {
  /** `group_difference` (a numeric column by a categorical one) or `correlation` (two numeric columns). */
  @ApiProperty({ enum: Segment.shape.kind.options })
  kind!: string;
  /** The numeric column measured. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** The categorical column whose levels split it (group differences); null for a correlation. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_COLUMN_NAME })
  by!: string | null;
  /** The other numeric column (correlations); null for a group difference. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_COLUMN_NAME })
  with!: string | null;
  /** `kruskal_wallis` for a group difference, `spearman` for a correlation. */
  @ApiProperty({ enum: Segment.shape.test.options })
  test!: string;
  /** Kruskal-Wallis H (tie-corrected), or Spearman's t. */
  statistic!: number;
  /** Degrees of freedom: levels − 1, or n − 2. */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_ROW })
  df!: number;
  /** The test's p-value, before adjustment, 0–1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  pValue!: number;
  /** Adjusted by `adjustment` over the `tests` of the dataset. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  adjustedPValue!: number;
  /** The multiple-comparison adjustment applied to `adjustedPValue`. */
  @ApiProperty({ enum: Segment.shape.adjustment.options })
  adjustment!: string;
  /** Tests adjusted together: every categorical × numeric pair and numeric pair tested. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 })
  tests!: number;
  /** The effect size: ε² of a group difference, Spearman's ρ of a correlation. */
  effect!: AnalysisSegmentEffectDto;
  /** The most frequent levels (group differences; the pair below always among them); empty for a correlation. */
  @ApiProperty({ type: [AnalysisSegmentGroupDto], maxItems: MAX_GROUPS_LISTED })
  groups!: AnalysisSegmentGroupDto[];
  /** Levels compared; null for a correlation. */
  @ApiProperty({ type: 'integer', format: 'int32', nullable: true, minimum: 2, maximum: 50 })
  levels!: number | null;
  /** Of the pair of levels that differ most clearly (largest |Dunn z|): the higher mean. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_RESULT_TEXT })
  highest!: string | null;
  /** …and the lower mean. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_RESULT_TEXT })
  lowest!: string | null;
  /** Mean of `highest` − mean of `lowest`, in the column's units. */
  @ApiProperty({ type: Number, nullable: true })
  difference!: number | null;
  /** Median of `highest` − median of `lowest`. */
  @ApiProperty({ type: Number, nullable: true })
  medianDifference!: number | null;
  /** The pair's own test; null for a correlation. */
  @ApiProperty({ type: AnalysisSegmentContrastDto, nullable: true })
  contrast!: AnalysisSegmentContrastDto | null;
  /** Rows with both values (of the sample when sampled). */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_ROW })
  n!: number;
  /** Whether the rows were a uniform sample (about 20,000) of a larger table. */
  sampled!: boolean;
  /** The finding in words, with its numbers. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  description!: string;
  /** The tool call that found it. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}
