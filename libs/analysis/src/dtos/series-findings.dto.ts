import { ApiProperty } from '@nestjs/swagger';
import { AnomalyColumn } from '../agents/anomalies-agent';
import { ChangePoint, Season } from '../agents/trends-agent';

/** Longest column name (as the file gave it, see docs/datasets.md). */
const MAX_COLUMN_NAME = 256;
/** Most characters of a finding's words (a generous bound). */
const MAX_TEXT = 20_000;
/** Most characters of a tool call's id (a model's own, or the builtin planner's). */
const MAX_TOOL_CALL_ID = 200;
/** Most phases a season's profile has (a yearly season: 12 months; other cycles: their period). */
const MAX_PHASES = 100_000;
const MAX_ROW = Number.MAX_SAFE_INTEGER;

/** The band of ordinary values an anomaly fell outside. */
export class AnalysisBandDto {
  low!: number;
  high!: number;
}

/** How many anomalies a numeric column has, and how many of them are listed. */
export class AnalysisAnomalyColumnDto {
  /** The numeric column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** Anomalies found in the column. */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_ROW })
  found!: number;
  /** Of which listed in `anomalies`: the highest scores, at most the request's `maxAnomalies`. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_ROW })
  reported!: number;
  /** True when more were found than listed. */
  truncated!: boolean;
  /**
   * The shape the values were scored for when there is no time column (zeros are a
   * zero-inflated column's normal state; a skewed one is scored on a log scale or skew-adjusted
   * fences); null for a table without a time column too large to read whole (scanned in SQL).
   */
  @ApiProperty({
    type: String,
    nullable: true,
    enum: [...AnomalyColumn.shape.distribution.unwrap().options, null],
  })
  distribution!: string | null;
  /** The tool call that found them; null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}

/** The mean of a series at one phase of its season (a month, a weekday, an hour). */
export class AnalysisSeasonPhaseDto {
  /** `Jan`…`Dec` (yearly), `Mon`…`Sun` (weekly), `00`…`23` (daily, UTC); else the phase number. */
  @ApiProperty({ maxLength: 20 })
  label!: string;
  mean!: number;
}

/** A cycle a numeric column follows over time. */
export class AnalysisSeasonDto {
  /** The numeric column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** The time column it follows (the dataset's first date or datetime column). */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  timeColumn!: string;
  /** The calendar cycle, or `other` for a cycle of another length. */
  @ApiProperty({ enum: Season.shape.name.options })
  name!: string;
  /** Length of the cycle in points of the series (a point a time, or a time bucket). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 2, maximum: MAX_PHASES })
  period!: number;
  /** Length of the cycle in milliseconds. */
  @ApiProperty({ minimum: 0 })
  periodMs!: number;
  /** 0–1: how much of the variation beside the noise the cycle explains (Wang, Smith & Hyndman). */
  @ApiProperty({ minimum: 0, maximum: 1 })
  strength!: number;
  /** Mean per phase, in time order of the phases. */
  @ApiProperty({ type: [AnalysisSeasonPhaseDto], maxItems: MAX_PHASES })
  profile!: AnalysisSeasonPhaseDto[];
  /** The season in words, lowest and highest phase means included. */
  @ApiProperty({ maxLength: MAX_TEXT })
  description!: string;
  /** The tool call that found it (the provenance of metrics written from it); null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}

/** Level and noise of a segment of a series between change points. */
export class AnalysisSegmentLevelDto {
  /** Mean of the deseasonalised series in the segment. */
  mean!: number;
  /** Robust SD of the remainder (the noise) in the segment. */
  @ApiProperty({ minimum: 0 })
  sd!: number;
}

/** Where a numeric column's level or spread changes for good. */
export class AnalysisChangePointDto {
  /** The numeric column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** The time column. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  timeColumn!: string;
  /** A step in the level, or a change in the spread of the noise. */
  @ApiProperty({ enum: ChangePoint.shape.kind.options })
  kind!: string;
  /** Time of the first point of the new segment (the start of its bucket on a bucketed series). */
  @ApiProperty({ format: 'date-time' })
  time!: string;
  /** Its first 1-based file row; null on a bucketed series (more than 50,000 rows). */
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, minimum: 1, maximum: MAX_ROW })
  row!: number | null;
  /** The segment before. */
  before!: AnalysisSegmentLevelDto;
  /** The segment from the change on. */
  after!: AnalysisSegmentLevelDto;
  /** The step in noise SDs (level shift) or the ratio of the SDs (variance change). */
  @ApiProperty({ minimum: 0 })
  score!: number;
  /** The change in words, with the levels or spreads either side. */
  @ApiProperty({ maxLength: MAX_TEXT })
  reason!: string;
  /** The tool call that found it (the provenance of metrics written from it); null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}
