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
import { DEFAULT_MAX_ANOMALIES, MAX_ANOMALIES_LIMIT } from '../orchestration/analysis-context';
import { ANALYSIS_ERROR_CODES, type AnalysisErrorCode } from '../orchestration/analysis-errors';
import {
  ANALYSIS_STATUSES,
  type AnalysisEntity,
  type AnalysisStatus,
} from '../entities/analysis.entity';
import type { AgentName } from '../orchestration/orchestrator';
import { AnalysisMetricDto } from './analysis-metric.dto';
import { AnalysisResultDto, MAX_RESULT_TEXT } from './analysis-result.dto';

export const AGENT_NAMES = [
  'profile',
  'trends',
  'anomalies',
  'text',
  'segments',
  'summary',
] as const;
type UnlistedAgent = Exclude<AgentName, (typeof AGENT_NAMES)[number]>;
/** Compiles only while AGENT_NAMES lists every agent the orchestrator runs (the request's enum). */
export const AGENT_NAMES_COMPLETE: [UnlistedAgent] extends [never] ? true : UnlistedAgent = true;
/** Longest free text an analysis takes (characters). */
export const MAX_TEXT_LENGTH = 100_000;

/** Most records one analysis takes (they are stored as a small dataset first). */
export const MAX_RECORDS = 10_000;

/** Exactly one of `datasetId`, `records`, `text` and `metric`. */
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
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_TEXT_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH, { message: `text must be 1–${MAX_TEXT_LENGTH} characters` })
  text?: string;

  /**
   * A metric's series (`GET /v1/metrics/series` buckets), stored as records `{time,
   * <name>, <groupBy>?}` and analysed like them: its seasons, change points, anomalies, trend.
   */
  @ApiPropertyOptional({ type: AnalysisMetricDto })
  @IsOptional()
  @IsObject({ message: 'metric must be an object' })
  @ValidateNested()
  @Type(() => AnalysisMetricDto)
  metric?: AnalysisMetricDto;

  /** The agents to run; default all that apply. */
  @ApiPropertyOptional({ enum: AGENT_NAMES, isArray: true, maxItems: AGENT_NAMES.length })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(AGENT_NAMES.length)
  @ArrayUnique()
  @IsIn(AGENT_NAMES, { each: true, message: `agents must be among ${AGENT_NAMES.join(', ')}` })
  agents?: Array<(typeof AGENT_NAMES)[number]>;

  /**
   * A question to steer the analysis: the columns and kinds of finding it names come first,
   * and the summary opens with its answer (docs/analyses.md, Questions).
   */
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  question?: string;

  /**
   * Most anomalies reported per column, the highest scores first (default 20); the result
   * says how many were found and whether the list was cut.
   */
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: MAX_ANOMALIES_LIMIT,
    default: DEFAULT_MAX_ANOMALIES,
  })
  @IsOptional()
  @IsInt({ message: 'maxAnomalies must be an integer' })
  @Min(1, { message: `maxAnomalies must be 1–${MAX_ANOMALIES_LIMIT}` })
  @Max(MAX_ANOMALIES_LIMIT, { message: `maxAnomalies must be 1–${MAX_ANOMALIES_LIMIT}` })
  maxAnomalies?: number;
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
  @ApiProperty({ enum: AGENT_NAMES })
  name!: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] })
  status!: string;
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;
  durationMs!: number;
  usage!: { requests: number; inputTokens: number; outputTokens: number; totalTokens: number };
  /** Why it failed, in a sentence. */
  @ApiPropertyOptional({ maxLength: MAX_RESULT_TEXT })
  error?: string;
  /** Why it failed, as a code (docs/analyses.md). */
  @ApiPropertyOptional({ enum: ANALYSIS_ERROR_CODES })
  errorCode?: AnalysisErrorCode;
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
  @ApiProperty({ type: [AnalysisAcceptedDto], maxItems: MAX_BATCH_ITEMS })
  data!: AnalysisAcceptedDto[];
}

export class AnalysisDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: ANALYSIS_STATUSES })
  status!: AnalysisStatus;
  /**
   * What was analysed, by `kind`: `dataset` `{datasetId}`, `records` `{datasetId, records}`,
   * `metric` `{datasetId, records, metric: {name, from, to, interval, agg, groupBy?,
   * dimensions?}}` (the window and interval as resolved), `text` `{text}`.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  input!: Record<string, unknown>;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...AGENT_NAMES] },
    nullable: true,
    maxItems: AGENT_NAMES.length,
  })
  agentsRequested!: string[] | null;
  /** The analysis this one replays. */
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  replayOf!: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 2000 })
  question!: string | null;
  /** Most anomalies reported per column, as asked (null: the default). */
  @ApiProperty({
    type: 'integer',
    format: 'int32',
    nullable: true,
    minimum: 1,
    maximum: MAX_ANOMALIES_LIMIT,
  })
  maxAnomalies!: number | null;
  @ApiProperty({
    type: 'object',
    required: ['provider', 'name', 'sdkVersion'],
    properties: {
      provider: { type: 'string', maxLength: 100 },
      name: { type: 'string', maxLength: 200 },
      sdkVersion: { type: 'string', maxLength: 100 },
    },
  })
  model!: { provider: string; name: string; sdkVersion: string };
  /** sha256 of the input, hex. */
  @ApiProperty({ maxLength: 64, pattern: '^[0-9a-f]{64}$' })
  inputHash!: string;
  /** One run per agent, in the order they ran. */
  @ApiProperty({ type: [AnalysisAgentDto], maxItems: 100 })
  agents!: AnalysisAgentDto[];
  /** Null until the analysis succeeded. */
  @ApiProperty({ nullable: true, type: AnalysisResultDto })
  result!: AnalysisResultDto | null;
  /** Why it failed or was cancelled, in a sentence; null otherwise. */
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_RESULT_TEXT })
  error!: string | null;
  /** Why it failed or was cancelled, as a code (docs/analyses.md); null otherwise. */
  // `null` listed too: OpenAPI 3.0 checks a nullable enum's values against the list.
  @ApiProperty({ nullable: true, type: String, enum: [...ANALYSIS_ERROR_CODES, null] })
  errorCode!: AnalysisErrorCode | null;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;
}

export class AnalysisPageDto {
  @ApiProperty({ type: [AnalysisDto], maxItems: 500 })
  data!: AnalysisDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 512 })
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
    errorCode?: AnalysisErrorCode;
  }>;
  return {
    id: analysis.id,
    status: analysis.status,
    input: analysis.input,
    agentsRequested: analysis.agents,
    replayOf: analysis.replayOf,
    question: analysis.question,
    maxAnomalies: analysis.maxAnomalies ?? null,
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
      ...(run.errorCode === undefined ? {} : { errorCode: run.errorCode }),
    })),
    // Written by toAnalysisResult (result.ts), whose return type is this DTO.
    result: analysis.result as AnalysisResultDto | null,
    error: analysis.error,
    errorCode: analysis.errorCode,
    createdAt: analysis.createdAt.toISOString(),
    startedAt: analysis.startedAt?.toISOString() ?? null,
    completedAt: analysis.completedAt?.toISOString() ?? null,
  };
}
