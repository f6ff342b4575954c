import { PageQueryDto } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ANALYSIS_STATUSES,
  type AnalysisEntity,
  type AnalysisStatus,
} from '../entities/analysis.entity';

export const AGENT_NAMES = ['profile', 'trends', 'anomalies', 'text', 'summary'] as const;
/** Longest free text an analysis takes (characters). */
export const MAX_TEXT_LENGTH = 100_000;

/** Most records one analysis takes (they are stored as a small dataset first). */
export const MAX_RECORDS = 10_000;

/** Exactly one of `datasetId`, `records` and `text`. */
export class CreateAnalysisDto {
  @IsOptional()
  @IsUUID('all', { message: 'datasetId must be a UUID' })
  datasetId?: string;

  /**
   * Flat JSON objects (values: string, number, boolean or null), stored as a dataset
   * first and analysed like an uploaded one; its columns are the keys in first-seen order.
   */
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: MAX_RECORDS,
  })
  @IsOptional()
  @IsArray({ message: 'records must be an array of objects' })
  @ArrayMinSize(1, { message: 'records must hold at least one record' })
  @ArrayMaxSize(MAX_RECORDS, { message: `records must hold at most ${MAX_RECORDS} records` })
  @IsObject({ each: true, message: 'records must be an array of objects' })
  // As parsed: class-transformer's copy drops keys named like Object.prototype's members
  // (`constructor`, `toString`), and a key is a column name.
  @Transform(({ obj }: { obj: { records?: unknown } }) => obj.records)
  records?: Array<Record<string, unknown>>;

  /** Free text to analyse (sentiment, entities, keywords). */
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH, { message: `text must be 1–${MAX_TEXT_LENGTH} characters` })
  text?: string;

  /** The agents to run; default all that apply. */
  @ApiPropertyOptional({ enum: AGENT_NAMES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AGENT_NAMES, { each: true, message: `agents must be among ${AGENT_NAMES.join(', ')}` })
  agents?: Array<(typeof AGENT_NAMES)[number]>;

  /** A question to steer the analysis (kept with it; the builtin model does not read it). */
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  question?: string;
}

/** Most analyses one batch may start. */
export const MAX_BATCH_ITEMS = 100;

export class CreateAnalysisBatchDto {
  @ApiProperty({ type: [CreateAnalysisDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray({ message: 'items must be an array' })
  @ArrayMinSize(1, { message: 'items must hold at least one analysis' })
  @ArrayMaxSize(MAX_BATCH_ITEMS, { message: `items must hold at most ${MAX_BATCH_ITEMS} analyses` })
  @ValidateNested({ each: true })
  @Type(() => CreateAnalysisDto)
  items!: CreateAnalysisDto[];
}

export class WaitQueryDto {
  /** Seconds to wait for the analysis to finish (≤ 60): then 200 with it, else 202. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  wait?: number;
}

export class ListAnalysesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ANALYSIS_STATUSES })
  @IsOptional()
  @IsIn(ANALYSIS_STATUSES, { message: `status must be one of ${ANALYSIS_STATUSES.join(', ')}` })
  status?: AnalysisStatus;

  @IsOptional()
  @IsUUID('all', { message: 'datasetId must be a UUID' })
  datasetId?: string;
}

export class AnalysisAgentDto {
  name!: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] })
  status!: string;
  startedAt!: string;
  finishedAt!: string;
  durationMs!: number;
  usage!: { requests: number; inputTokens: number; outputTokens: number; totalTokens: number };
  error?: string;
}

export class AnalysisInsightDto {
  @ApiProperty({ enum: ['info', 'warning', 'high'] })
  severity!: string;
  /** The specialist whose result it comes from. */
  @ApiProperty({ enum: ['profile', 'trends', 'anomalies', 'text', 'analysis'] })
  source!: string;
  title!: string;
  detail!: string;
}

export class AnalysisAnomalyDto {
  column!: string;
  /** 1-based row of the file (header excluded). */
  @ApiProperty({ type: 'integer' })
  row!: number;
  value!: number;
  /** What was tested: the value itself, or its residual from the column's trend over time. */
  @ApiProperty({ enum: ['value', 'trend_residual'] })
  basis!: string;
  /** |robust z| of the tested quantity. */
  score!: number;
  reason!: string;
}

export class AnalysisTrendDto {
  column!: string;
  @ApiProperty({ enum: ['increasing', 'decreasing', 'none'] })
  direction!: string;
  /** Change per day (Theil–Sen). */
  slope!: number;
  description!: string;
}

export class AnalysisSentimentDto {
  /** From -1 (negative) to 1 (positive). */
  score!: number;
  @ApiProperty({ enum: ['positive', 'neutral', 'negative'] })
  label!: string;
}

/**
 * What an analysis found (API.md, Analyses); every number is a tool's output. The
 * specialists' full outputs ride along (`quality`, `texts`, `guardrails`, and more fields
 * on the items than listed here).
 */
export class AnalysisResultDto {
  /** The summary agent's narrative; null when it did not run. */
  @ApiProperty({ nullable: true, type: String })
  summary!: string | null;
  insights!: AnalysisInsightDto[];
  anomalies!: AnalysisAnomalyDto[];
  trends!: AnalysisTrendDto[];
  @ApiProperty({ nullable: true, type: AnalysisSentimentDto })
  sentiment!: AnalysisSentimentDto | null;
  /** Named entities found in the text (people, places, organizations, ...). */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  entities!: Array<Record<string, unknown>>;
  recommendations!: string[];
  /** Ids of the metrics the analysis wrote. */
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' } })
  metrics!: string[];
}

/** A queued (or still running) analysis, as `POST` answers it. */
export class AnalysisAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: ['queued', 'running'] })
  status!: string;
}

export class AnalysisReplayAcceptedDto extends AnalysisAcceptedDto {
  /** The analysis replayed. */
  @ApiProperty({ format: 'uuid' })
  replayOf!: string;
}

export class AnalysisBatchAcceptedDto {
  /** In the order of the items. */
  data!: AnalysisAcceptedDto[];
}

export class AnalysisDto {
  id!: string;
  @ApiProperty({ enum: ANALYSIS_STATUSES })
  status!: AnalysisStatus;
  @ApiProperty({ type: 'object', additionalProperties: true })
  input!: Record<string, unknown>;
  agentsRequested!: string[] | null;
  /** The analysis this one replays. */
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  replayOf!: string | null;
  question!: string | null;
  model!: { provider: string; name: string; sdkVersion: string };
  inputHash!: string;
  agents!: AnalysisAgentDto[];
  /** Null until the analysis succeeded. */
  @ApiProperty({ nullable: true, type: AnalysisResultDto })
  result!: Record<string, unknown> | null;
  error!: string | null;
  createdAt!: string;
  startedAt!: string | null;
  completedAt!: string | null;
}

export class AnalysisPageDto {
  data!: AnalysisDto[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}

export function mapAnalysis(analysis: AnalysisEntity): AnalysisDto {
  const runs = (analysis.agentRuns ?? []) as Array<{
    agent: string;
    status: string;
    startedAt: string;
    endedAt: string;
    durationMs: number;
    usage: AnalysisAgentDto['usage'];
    error?: string;
  }>;
  return {
    id: analysis.id,
    status: analysis.status,
    input: analysis.input,
    agentsRequested: analysis.agents,
    replayOf: analysis.replayOf,
    question: analysis.question,
    model: {
      provider: analysis.modelProvider,
      name: analysis.modelName,
      sdkVersion: analysis.sdkVersion,
    },
    inputHash: analysis.inputHash,
    agents: runs.map((run) => ({
      name: run.agent,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.endedAt,
      durationMs: run.durationMs,
      usage: run.usage,
      ...(run.error === undefined ? {} : { error: run.error }),
    })),
    result: analysis.result,
    error: analysis.error,
    createdAt: analysis.createdAt.toISOString(),
    startedAt: analysis.startedAt?.toISOString() ?? null,
    completedAt: analysis.completedAt?.toISOString() ?? null,
  };
}
