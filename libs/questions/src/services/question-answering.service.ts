import type { OrganizationId } from '@app/tenancy';
import { ModelCallError } from '@app/models';
import { injectionPattern } from '@app/common';
import { AppConfig } from '@app/config';
import type { DatasetEntity } from '@app/datasets';
import { Injectable, Logger } from '@nestjs/common';
import { type ModelUsage, NO_USAGE } from '../agent/ask-agent';
import { QuestionModel } from '../agent/question-model';
import { chooseReader, wantsBuiltinPlan } from '../agent/reader-choice';
import { answerSentence } from '../answer/answer-sentence';
import type { PlannerDataset } from '../planner/plan';
import { type PlannerModel, QuestionPlanner } from '../planner/question-planner';
import { DatasetQueries, InvalidQueryError } from '../query/dataset-queries';
import { QUERY_LIMITS, type QueryResult, type StructuredQuery } from '../query/structured-query';
import { KnownValuesCache } from './known-values-cache';

/** Text columns with at most this many distinct values have them all read for the planner. */
export const KNOWN_VALUES_MAX_DISTINCT = 200;
/** Of those, this many columns at most: one query each, while the caller waits. */
export const KNOWN_VALUES_MAX_COLUMNS = 20;

/** A question answered: the sentence, the query it was read as, and what the query returned. */
export interface AnsweredQuestion {
  kind: 'answered';
  answer: string;
  query: StructuredQuery;
  result: QueryResult;
  /** How each part of the question was read ("rainy" → weather = rain); none from a model. */
  readings: string[];
  /** Who read the question: the builtin planner, or the configured model. */
  model: PlannerModel;
  /** The model's `run_query` call that the answer rests on; null for the builtin planner. */
  toolCallId: string | null;
  /** The model's token use; all 0 for the builtin planner. */
  usage: ModelUsage;
}

/** A question not answered: why, and the words it could not place. */
export interface UnansweredQuestion {
  kind: 'refused';
  reason: string;
  notUnderstood: string[];
}

export type QuestionAnswer = AnsweredQuestion | UnansweredQuestion;

export interface AnswerOptions {
  /** Aborting cancels the question's SQL (and the model's call, when a model reads it). */
  signal?: AbortSignal;
  /**
   * Who may read the question: `configured` follows `QUESTIONS_PLANNER` (the builtin planner
   * or the `ask` agent on the model); `builtin` never calls a model. Default `configured`.
   */
  readers?: 'configured' | 'builtin';
}

/**
 * Reads a question about a dataset — with the builtin planner or the `ask` agent on the
 * configured model (`QUESTIONS_PLANNER`) — and runs the query it is read as (read-only, the
 * organization's dataset only): the one path from a question to an answer, for asking a
 * dataset and for an analysis with a question. A question it will not answer is returned
 * as refused, not thrown: each caller says no in its own way. A model that cannot be
 * reached throws (a {@link ModelCallError}, or an error caused by one).
 */
@Injectable()
export class QuestionAnsweringService {
  private readonly logger = new Logger(QuestionAnsweringService.name);

  private readonly knownValues = new KnownValuesCache();

  constructor(
    private readonly config: AppConfig,
    private readonly planner: QuestionPlanner,
    private readonly queries: DatasetQueries,
    private readonly model: QuestionModel,
  ) {}

  /** The answer to `text` (a question already trimmed and bounded). */
  async answer(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    text: string,
    options: AnswerOptions = {},
  ): Promise<QuestionAnswer> {
    const { signal } = options;
    // The builtin planner does not obey text, but the model reads it (as the analysis
    // agents do): an instruction in a question is refused, never passed on.
    const injection = injectionPattern(text);
    if (injection !== undefined) {
      return {
        kind: 'refused',
        reason: `The question reads like an instruction to a model (${injection}), not a question about the data`,
        notUnderstood: [],
      };
    }
    const plannerDataset = await this.plannerDataset(organizationId, dataset, signal);
    const setting = options.readers === 'builtin' ? 'builtin' : this.config.questions.planner;
    const hasModel = this.model.model !== undefined;
    const plan = wantsBuiltinPlan(setting, hasModel)
      ? this.planner.plan(text, plannerDataset)
      : undefined;
    if (chooseReader(setting, hasModel, plan) === 'model') {
      return this.askModel(organizationId, dataset, text, plannerDataset, signal);
    }
    if (plan === undefined) throw new Error('the builtin reader was chosen without a plan');
    if (plan.kind === 'refused') {
      return { kind: 'refused', reason: plan.reason, notUnderstood: plan.notUnderstood };
    }
    // The row cap holds whatever the planner asked for: a result is stored whole.
    const query: StructuredQuery = {
      ...plan.query,
      limit: Math.min(plan.query.limit ?? QUERY_LIMITS.rows, QUERY_LIMITS.rows),
    };
    let result: QueryResult;
    try {
      result = await this.run(organizationId, dataset, query, signal);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      // The planner built a query the compiler refuses: a planner bug, but the caller's
      // answer is still "not understood", not a 500.
      this.logger.warn({ query, reason: error.message }, 'planned query refused by validation');
      return {
        kind: 'refused',
        reason: `The question was read as a query that does not fit the dataset: ${error.message}`,
        notUnderstood: [],
      };
    }
    return {
      kind: 'answered',
      answer: answerSentence(query, result, plan.readings),
      query,
      result,
      readings: plan.readings,
      model: this.planner.model,
      // The builtin planner makes no model call: there is no tool call to name.
      toolCallId: null,
      usage: NO_USAGE,
    };
  }

  /**
   * The `ask` agent reads the question: it fills the query through `run_query` (the same
   * compiler and read-only repository) and writes the answer.
   */
  private async askModel(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    question: string,
    plannerDataset: PlannerDataset,
    signal: AbortSignal | undefined,
  ): Promise<QuestionAnswer> {
    const model = this.model.model;
    if (model === undefined) throw new Error('the model reader was chosen without a model');
    const outcome = await this.model.ask({
      question,
      dataset: plannerDataset,
      run: (query) => this.run(organizationId, dataset, query, signal),
      ...(signal === undefined ? {} : { signal }),
    });
    if (outcome.kind === 'refused') {
      return {
        kind: 'refused',
        reason: `The model could not answer: ${outcome.reason}`,
        notUnderstood: [],
      };
    }
    return {
      kind: 'answered',
      answer: outcome.answer,
      query: outcome.query,
      result: outcome.result,
      // A model gives no readings of its own; `query` is what it read.
      readings: [],
      model,
      toolCallId: outcome.toolCallId,
      usage: outcome.usage,
    };
  }

  private run(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    query: StructuredQuery,
    signal: AbortSignal | undefined,
  ): Promise<QueryResult> {
    return this.queries.run(organizationId, dataset, query, {
      timeoutMs: this.config.questions.statementTimeoutMs,
      workMemMb: this.config.questions.workMemMb,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** What the planner reads: columns, profile, and every value of the few-valued text columns. */
  private async plannerDataset(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    signal: AbortSignal | undefined,
  ): Promise<PlannerDataset> {
    const few = dataset.profile
      .filter(
        (column) => column.type === 'string' && column.distinctCount <= KNOWN_VALUES_MAX_DISTINCT,
      )
      .slice(0, KNOWN_VALUES_MAX_COLUMNS);
    // Kept per dataset; a read cut short (its signal aborted) fails and is not kept.
    const values = await this.knownValues.get(`${organizationId}:${dataset.id}`, async () => {
      const known = new Map<string, string[]>();
      for (const column of few) {
        const result = await this.run(
          organizationId,
          dataset,
          {
            measures: [{ agg: 'count' }],
            groupBy: [{ column: column.name }],
            limit: KNOWN_VALUES_MAX_DISTINCT,
          },
          signal,
        );
        known.set(
          column.name,
          result.rows
            .map((row) => row[0])
            .filter((value): value is string => typeof value === 'string'),
        );
      }
      return known;
    });
    return { name: dataset.name, columns: dataset.columns, profile: dataset.profile, values };
  }
}

/** Whether `error`, or an error it was caused by, is a failed model call. */
export function isModelCallError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    if (cause instanceof ModelCallError) return true;
    cause = cause.cause;
  }
  return false;
}
