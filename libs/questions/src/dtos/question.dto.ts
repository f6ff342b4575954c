import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { z } from 'zod';
import type { QuestionEntity } from '../entities/question.entity';
import { QUERY_LIMITS, structuredQuerySchema } from '../query/structured-query';
import type { QueryResult, StructuredQuery } from '../query/structured-query';
import { MAX_QUESTION_LENGTH } from '../services/question-text';

/** `format: int32` on every integer (OWASP API4: a bounded integer states its width). */
function withIntegerFormat(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withIntegerFormat);
  if (typeof schema !== 'object' || schema === null) return schema;
  const entries = Object.entries(schema).map(([key, value]) => [key, withIntegerFormat(value)]);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  return object.type === 'integer' ? { ...object, format: 'int32' } : object;
}

/**
 * The structured query's schema, from the zod schema that validates it: one source, stated
 * once in the document as `components.schemas.StructuredQuery` (apps/api adds it).
 */
export const STRUCTURED_QUERY_SCHEMA = withIntegerFormat(
  z.toJSONSchema(structuredQuerySchema, { target: 'openapi-3.0' }),
) as Record<string, unknown>;

/** A property holding a structured query: a reference to the one schema. */
export const STRUCTURED_QUERY_PROPERTY: ApiPropertyOptions = {
  allOf: [{ $ref: '#/components/schemas/StructuredQuery' }],
};

export const EXAMPLE_QUERY: StructuredQuery = {
  measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
  filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
  limit: 1000,
};

export class AskQuestionDto {
  /** A question about the dataset, in plain words. */
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_QUESTION_LENGTH,
    example: 'What was the average maximum temperature on rainy days?',
  })
  @IsString()
  @Length(1, MAX_QUESTION_LENGTH)
  question!: string;
}

export class ResultColumnDto {
  @ApiProperty({ maxLength: 200, example: 'avg_temp_max' })
  name!: string;
  @ApiProperty({ enum: ['integer', 'number', 'boolean', 'date', 'datetime', 'string'] })
  type!: QueryResult['columns'][number]['type'];
}

// A cell is text, a number, a boolean or null (`anyOf`: null satisfies each branch).
const CELL_SCHEMA = {
  anyOf: [
    { type: 'string', maxLength: 1_048_576, nullable: true },
    { type: 'number', nullable: true },
    { type: 'boolean', nullable: true },
  ],
};

export class QuestionResultDto {
  @ApiProperty({ type: [ResultColumnDto], maxItems: 1000 })
  columns!: ResultColumnDto[];
  /** Rows of values in column order (dates as ISO 8601 text). */
  @ApiProperty({
    type: 'array',
    maxItems: QUERY_LIMITS.rows,
    items: { type: 'array', maxItems: 1000, items: CELL_SCHEMA },
    example: [[641, 13.45]],
  })
  rows!: QueryResult['rows'];
  /** True when the row cap (1,000) cut the result. */
  truncated!: boolean;
}

export class QuestionModelDto {
  /** `builtin`: Sightline's deterministic planner, no model call. */
  @ApiProperty({ maxLength: 100, example: 'builtin' })
  provider!: string;
  @ApiProperty({ maxLength: 200, example: 'sightline-builtin-question-planner-1' })
  name!: string;
}

const TOKEN_COUNT = {
  type: 'integer',
  format: 'int64',
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  example: 0,
} as const;

/** Tokens the model used on a question (the SDK's run usage); all 0 for the builtin planner. */
export class QuestionUsageDto {
  @ApiProperty(TOKEN_COUNT)
  requests!: number;
  @ApiProperty(TOKEN_COUNT)
  inputTokens!: number;
  @ApiProperty(TOKEN_COUNT)
  outputTokens!: number;
  @ApiProperty(TOKEN_COUNT)
  totalTokens!: number;
}

/** A question asked of a dataset, and its answer. */
export class QuestionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  datasetId!: string;
  @ApiProperty({
    maxLength: MAX_QUESTION_LENGTH,
    example: 'What was the average maximum temperature on rainy days?',
  })
  question!: string;
  /** One or two sentences; every number in them is a value of `result`. */
  @ApiProperty({
    maxLength: 10_000,
    example: 'Over the 641 rows where weather = rain, the average temp_max is 13.45.',
  })
  answer!: string;
  /** The structured query the question was read as (docs/questions.md): never SQL text. */
  @ApiProperty({ ...STRUCTURED_QUERY_PROPERTY, example: EXAMPLE_QUERY })
  query!: StructuredQuery;
  /** What the query returned. */
  result!: QuestionResultDto;
  /** A Vega-Lite spec over `result` (rendered by `GET /v1/questions/{id}/chart.svg`), or null. */
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  chart!: Record<string, unknown> | null;
  /** How the builtin planner read each part of the question; empty when a model read it. */
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 1000 },
    maxItems: 100,
    example: ['"rainy" → weather = rain', '"average maximum temperature" → avg(temp_max)'],
  })
  readings!: string[];
  model!: QuestionModelDto;
  /** The model's tool call that produced the query; null for the builtin planner (no call). */
  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  toolCallId!: string | null;
  usage!: QuestionUsageDto;
  /** From receiving the question to having its answer. */
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 })
  durationMs!: number;
  createdAt!: Date;
}

export class QuestionPageDto {
  @ApiProperty({ type: [QuestionDto], maxItems: 500 })
  data!: QuestionDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 512 })
  nextCursor!: string | null;
}

export function mapQuestion(question: QuestionEntity): QuestionDto {
  return {
    id: question.id,
    datasetId: question.datasetId,
    question: question.question,
    answer: question.answer,
    query: question.query,
    result: question.result,
    chart: question.chart,
    readings: question.readings,
    model: { provider: question.modelProvider, name: question.modelName },
    toolCallId: question.toolCallId,
    usage: question.usage,
    durationMs: question.durationMs,
    createdAt: question.createdAt,
  };
}
