import {
  EXAMPLE_QUERY,
  QuestionResultDto,
  STRUCTURED_QUERY_PROPERTY,
  type StructuredQuery,
} from '@app/questions';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Anomaly } from '../agents/anomalies-agent';
import { QualityIssue } from '../agents/profile-agent';
import { Insight } from '../agents/summary-inputs';
import { TextDocumentSchema } from '../agents/text-agent';
import { Trend } from '../agents/trends-agent';
import type { InjectionFinding } from '../guardrails/input-screening';
import type { FocusSpecialist } from '../planning/question-focus';
import { AnalysisSegmentDto } from './analysis-segment.dto';
import {
  AnalysisAnomalyColumnDto,
  AnalysisBandDto,
  AnalysisChangePointDto,
  AnalysisSeasonDto,
} from './series-findings.dto';

/** Most characters of a text an agent or a rule writes into a result (a generous bound). */
export const MAX_RESULT_TEXT = 20_000;
/** Most items of a result list; a dataset has at most 1,600 columns, 50 anomalies each. */
export const MAX_RESULT_ITEMS = 100_000;
/** Longest column name (as the file gave it, see docs/datasets.md). */
export const MAX_COLUMN_NAME = 256;
/** Most characters of a tool call's id (a model's own, or the builtin planner's). */
const MAX_TOOL_CALL_ID = 200;
/** Most rows a dataset holds, as a bound on row numbers and counts. */
const MAX_ROW = Number.MAX_SAFE_INTEGER;

// Listed as records so a new member of the union fails to compile until it is documented.
const FOCUS_SPECIALISTS: Record<FocusSpecialist, true> = {
  profile: true,
  trends: true,
  anomalies: true,
  text: true,
  segments: true,
};
const INJECTION_SOURCES: Record<InjectionFinding['source'], true> = {
  question: true,
  text: true,
  'column-name': true,
  cell: true,
};

const sentimentLabels = TextDocumentSchema.shape.label.options;
const passageMethods = TextDocumentSchema.shape.passages.element.shape.method.options;

export class AnalysisInsightDto {
  /** How much it matters: `high` first, then `warning`, then `info`. */
  @ApiProperty({ enum: Insight.shape.severity.options })
  severity!: string;
  /** The specialist whose result it comes from (`analysis`: the run itself, e.g. a guardrail). */
  @ApiProperty({ enum: Insight.shape.source.options })
  source!: string;
  /** One line naming the finding. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  title!: string;
  /** The finding in a sentence or two, with the numbers the tools measured. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  detail!: string;
}

/** A data-quality problem of one column, from the profile agent. */
export class AnalysisQualityIssueDto {
  /** The column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** What is wrong: every value missing, many missing, one value only, an identifier, or mixed types. */
  @ApiProperty({ enum: QualityIssue.shape.kind.options })
  kind!: string;
  /** How much it matters. */
  @ApiProperty({ enum: QualityIssue.shape.severity.options })
  severity!: string;
  /** The problem in words, with its measured number. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  detail!: string;
  /**
   * The measured number behind it: the share of values missing (0–1) for `all_null` and
   * `high_null_share`, the distinct count for `constant`, the distinct share (0–1) for
   * `suspected_id`, the rows before the type changed for `mixed_types`.
   */
  @ApiProperty({ type: Number, nullable: true })
  value!: number | null;
}

export class AnalysisAnomalyDto {
  /** The numeric column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** 1-based row of the file (header excluded). */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_ROW })
  row!: number;
  /** The value in that row, in the column's units. */
  value!: number;
  /** What was scored: the remainder after the column's trend and seasons over time, or the value itself (no time column). */
  @ApiProperty({ enum: Anomaly.shape.basis.options })
  basis!: string;
  /**
   * `spike`/`dip`: far above/below what its time leads one to expect; `contextual`: ordinary
   * for the column overall but wrong for its time (hour, weekday, month); `value`: no time
   * column, far from the column's distribution.
   */
  @ApiProperty({ enum: Anomaly.shape.kind.options })
  kind!: string;
  /** When it happened (the start of its time bucket on a series of more than 50,000 rows); null without a time column. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  time!: string | null;
  /** What was expected there: trend plus season plus the local level, or the column's typical value. */
  @ApiProperty({ type: Number, nullable: true })
  expected!: number | null;
  /** The band of ordinary values it fell outside. */
  @ApiProperty({ type: AnalysisBandDto, nullable: true })
  band!: AnalysisBandDto | null;
  /** Robust SDs from the expected value (≥ 0; capped at 999); the largest double when the spread is zero. */
  @ApiProperty({ minimum: 0 })
  score!: number;
  /** Why it was reported, in words (the test it failed and by how much). */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  reason!: string;
  /** The tool call that found it (the provenance of metrics written from it); null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}

export class AnalysisTrendDto {
  /** The numeric column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  column!: string;
  /** The time column it was measured against (the dataset's first date or datetime column). */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  timeColumn!: string;
  /** Rows with both a value and a time. */
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_ROW })
  n!: number;
  /** `seasonal-mann-kendall` when a season was found (and taken out first), else `mann-kendall`. */
  @ApiProperty({ enum: Trend.shape.method.options })
  method!: string;
  /** Theil-Sen slope of the deseasonalised series in the column's units per day; null with fewer than two points. */
  @ApiProperty({ type: Number, nullable: true })
  slopePerDay!: number | null;
  /** The test's z (standard normal under no trend). */
  z!: number;
  /** Two-sided p-value of the test, 0–1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  pValue!: number;
  /** True when the column's seasons were taken out before the slope and the test. */
  deseasonalised!: boolean;
  /** `increasing` or `decreasing` when pValue < 0.05, else `none`. */
  @ApiProperty({ enum: Trend.shape.direction.options })
  direction!: string;
  /** The tool call that computed it (the provenance of metrics written from it); null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
  /** slopePerDay again, under the name the contract gives it (docs/api.md). */
  @ApiProperty({ type: Number, nullable: true })
  slope!: number | null;
  /** The trend in words: its direction, time column, the seasons taken out, the test and its p-value. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  description!: string;
}

export class AnalysisSentimentDto {
  /** Mean sentiment of the first text's passages, from −1 (negative) to 1 (positive). */
  @ApiProperty({ minimum: -1, maximum: 1 })
  score!: number;
  /** `positive` from 0.05, `negative` from −0.05 down, else `neutral`. */
  @ApiProperty({ enum: sentimentLabels })
  label!: string;
}

/** A named entity (wink-nlp's lite English model: dates, times, numbers, money, URLs, …). */
export class AnalysisEntityDto {
  /** Its kind as wink-nlp names it (`DATE`, `CARDINAL`, `MONEY`, `URL`, `HASHTAG`, …). */
  @ApiProperty({ maxLength: 100 })
  type!: string;
  /** The entity as written in the text. */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  value!: string;
  /** Times it occurs in the text (≥ 1). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 })
  count!: number;
}

export class AnalysisKeywordDto {
  /** A word of the text (normalised, lower case, 3+ letters, not a stop word). */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  word!: string;
  /** Times it occurs in the text (≥ 1). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 })
  count!: number;
}

export class AnalysisKeyphraseDto {
  /** Two to four content words as written, lower case, joined by a space (a RAKE candidate). */
  @ApiProperty({ maxLength: MAX_RESULT_TEXT })
  phrase!: string;
  /** Times it occurs in the text (≥ 1). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 })
  count!: number;
  /** RAKE score: the sum over its words of degree / frequency (higher: more specific). */
  score!: number;
}

/** Passages of a text by sentiment label. */
export class AnalysisSentimentCountsDto {
  /** Passages scored above 0. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RESULT_ITEMS })
  positive!: number;
  /** Passages scored below 0. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RESULT_ITEMS })
  negative!: number;
  /** Passages with no polarity cue (score 0). */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RESULT_ITEMS })
  neutral!: number;
}

/** One scored passage: a sentence of free text, or one value of a text column. */
export class AnalysisPassageDto {
  /** 0-based position: the sentence's in the free text, or the value's among the column's non-empty values read, in file order. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_RESULT_ITEMS })
  index!: number;
  /** The passage, cut to its first 200 characters. */
  @ApiProperty({ maxLength: 200 })
  text!: string;
  /** The builtin scorer's sentiment, from −1 (negative) to 1 (positive), whichever method labelled it. */
  @ApiProperty({ minimum: -1, maximum: 1 })
  sentiment!: number;
  /** `positive` above 0, `negative` below 0, `neutral` at 0 (no polarity cue); or the language model's label when `method` is `model`. */
  @ApiProperty({ enum: sentimentLabels })
  label!: string;
  /** Who labelled it: `model` (the configured language model, in batches, its answer checked) or `builtin` (the scorer; always with the builtin model, and for a batch the model failed). */
  @ApiProperty({ enum: passageMethods })
  method!: string;
}

/** What the text agent found in the free text or in one text column. */
export class AnalysisTextDto {
  /** `text` for the free text, else the prose column's name. */
  @ApiProperty({ maxLength: MAX_COLUMN_NAME })
  source!: string;
  /** Mean of the passages' sentiments, from −1 (negative) to 1 (positive). */
  @ApiProperty({ minimum: -1, maximum: 1 })
  sentiment!: number;
  /** `positive` from 0.05, `negative` from −0.05 down, else `neutral`. */
  @ApiProperty({ enum: sentimentLabels })
  label!: string;
  /** Passages by label. */
  counts!: AnalysisSentimentCountsDto;
  /** Every passage read, in order, with its sentiment. */
  @ApiProperty({ type: [AnalysisPassageDto], maxItems: MAX_RESULT_ITEMS })
  passages!: AnalysisPassageDto[];
  /** The most frequent entities (at most 10), most frequent first. */
  @ApiProperty({ type: [AnalysisEntityDto], maxItems: 10 })
  entities!: AnalysisEntityDto[];
  /** The most frequent content words (at most 10), most frequent first. */
  @ApiProperty({ type: [AnalysisKeywordDto], maxItems: 10 })
  keywords!: AnalysisKeywordDto[];
  /** Phrases of 2–4 content words (at most 10), most frequent first, then by RAKE score. */
  @ApiProperty({ type: [AnalysisKeyphraseDto], maxItems: 10 })
  keyphrases!: AnalysisKeyphraseDto[];
  /** The tool call that analysed it (the provenance of metrics written from it); null if unknown. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_TOOL_CALL_ID })
  toolCallId!: string | null;
}

/** What the question named, as the planner read it (docs/analyses.md, Questions). */
export class AnalysisFocusDto {
  /** The columns the question names, in the dataset's order; empty when it names none. */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: MAX_COLUMN_NAME },
    maxItems: 1600,
  })
  columns!: string[];
  /** The kinds of finding it asks for, in the order it asks; empty when it does not say. */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: Object.keys(FOCUS_SPECIALISTS) },
    maxItems: Object.keys(FOCUS_SPECIALISTS).length,
  })
  specialists!: string[];
  /** Share of the question's content words recognised, weighted by how sure each match is, 0–1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;
  /** True when it names what to look at and what to look for, with confidence ≥ 0.5: only that ran. */
  narrow!: boolean;
}

/** Input that reads like an instruction to a language model: reported, kept from every model. */
export class AnalysisInjectionDto {
  /** Where it was found: the question, the free text, a column's name or a cell of a text column. */
  @ApiProperty({ enum: Object.keys(INJECTION_SOURCES) })
  source!: string;
  /** The pattern that matched (`ignore-instructions`, `role-override`, `chat-markup`, …). */
  @ApiProperty({ maxLength: 100 })
  pattern!: string;
  /** 1-based position of the column, for a column name or a cell. */
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 100_000 })
  columnPosition?: number;
  /** The column's name, for a cell of a column whose name is itself clean. */
  @ApiPropertyOptional({ maxLength: MAX_COLUMN_NAME })
  column?: string;
  /** 1-based row of the cell in file order (header excluded). */
  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_ROW })
  row?: number;
  /** About 120 characters around the match, on one line (never shown to a model). */
  @ApiProperty({ maxLength: 122 })
  excerpt!: string;
}

/** The question answered as `POST /v1/datasets/{id}/questions` answers it (docs/analyses.md, Questions). */
export class AnalysisAnswerDto {
  /** One or two sentences; every number in them is a value of `result`. The summary opens with it. */
  @ApiProperty({
    maxLength: 10_000,
    example: 'Over the 641 rows where weather = rain, the average temp_max is 13.45.',
  })
  text!: string;
  /** The structured query the question was read as (docs/questions.md): never SQL text. */
  @ApiProperty({ ...STRUCTURED_QUERY_PROPERTY, example: EXAMPLE_QUERY })
  query!: StructuredQuery;
  /** What the query returned on the analysis's dataset. */
  result!: QuestionResultDto;
}

export class AnalysisGuardrailsDto {
  /** Prompt-injection text found in the question, the free text, column names and (at most 20) cells. */
  @ApiProperty({ type: [AnalysisInjectionDto], maxItems: MAX_RESULT_ITEMS })
  injections!: AnalysisInjectionDto[];
}

/**
 * What an analysis found (docs/api.md, "Analyses"; docs/analyses.md, Result); every number is a
 * tool's output.
 */
export class AnalysisResultDto {
  /** The summary agent's narrative, answering the question first when there is one; null when it did not run. */
  @ApiProperty({ nullable: true, type: String, maxLength: MAX_RESULT_TEXT })
  summary!: string | null;
  /** Findings in a line or two each: guardrail findings first, then the summary's, those about what the question names first. */
  @ApiProperty({ type: [AnalysisInsightDto], maxItems: MAX_RESULT_ITEMS })
  insights!: AnalysisInsightDto[];
  /** What to do about the findings, one sentence each. */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: MAX_RESULT_TEXT },
    maxItems: MAX_RESULT_ITEMS,
  })
  recommendations!: string[];
  /** The profile agent's data-quality issues, per column; empty when it did not run. */
  @ApiProperty({ type: [AnalysisQualityIssueDto], maxItems: MAX_RESULT_ITEMS })
  quality!: AnalysisQualityIssueDto[];
  /** Values of numeric columns far from the rest, by column. */
  @ApiProperty({ type: [AnalysisAnomalyDto], maxItems: MAX_RESULT_ITEMS })
  anomalies!: AnalysisAnomalyDto[];
  /** Per numeric column examined for anomalies: how many were found and listed, and the shape scored for. */
  @ApiProperty({ type: [AnalysisAnomalyColumnDto], maxItems: MAX_RESULT_ITEMS })
  anomalyColumns!: AnalysisAnomalyColumnDto[];
  /** Each numeric column against the time column, after its seasons; empty without a time column. */
  @ApiProperty({ type: [AnalysisTrendDto], maxItems: MAX_RESULT_ITEMS })
  trends!: AnalysisTrendDto[];
  /** Group differences and correlations, the largest effects first (docs/analyses.md, Segments). */
  @ApiProperty({ type: [AnalysisSegmentDto], maxItems: MAX_RESULT_ITEMS })
  segments!: AnalysisSegmentDto[];
  /** Cycles the numeric columns follow over time (yearly, weekly, daily, …), strongest first per column. */
  @ApiProperty({ type: [AnalysisSeasonDto], maxItems: MAX_RESULT_ITEMS })
  seasonality!: AnalysisSeasonDto[];
  /** Lasting shifts in a numeric column's level or spread over time. */
  @ApiProperty({ type: [AnalysisChangePointDto], maxItems: MAX_RESULT_ITEMS })
  changePoints!: AnalysisChangePointDto[];
  /** The first text's overall sentiment (`texts[0]`); null when no text was analysed. */
  @ApiProperty({ nullable: true, type: AnalysisSentimentDto })
  sentiment!: AnalysisSentimentDto | null;
  /** One document per text analysed: the free text, or each prose column. */
  @ApiProperty({ type: [AnalysisTextDto], maxItems: MAX_RESULT_ITEMS })
  texts!: AnalysisTextDto[];
  /** The entities of every text, document by document. */
  @ApiProperty({ type: [AnalysisEntityDto], maxItems: MAX_RESULT_ITEMS })
  entities!: AnalysisEntityDto[];
  /** Ids of the metrics the analysis wrote (GET /v1/metrics?analysisId=…). */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: MAX_RESULT_ITEMS,
  })
  metrics!: string[];
  /** What the question named; null without a question or without a dataset. */
  @ApiProperty({ nullable: true, type: AnalysisFocusDto })
  focus!: AnalysisFocusDto | null;
  /** The question answered by a structured query; null without a question or dataset, or when the planner refused it. */
  @ApiProperty({ nullable: true, type: AnalysisAnswerDto })
  answer!: AnalysisAnswerDto | null;
  /** What the input guardrails found. */
  guardrails!: AnalysisGuardrailsDto;
}
