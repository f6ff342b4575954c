import type { Principal } from '@app/access';
import { ModelCallError } from '@app/analysis';
import {
  decodeCursor,
  injectionPattern,
  type Page,
  PageQueryDto,
  ProblemException,
  renderVegaLiteSvg,
  RetryLaterException,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { type DatasetEntity, DatasetsService } from '@app/datasets';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import { performance } from 'node:perf_hooks';
import { QuestionModel } from '../agent/question-model';
import { chooseReader, wantsBuiltinPlan } from '../agent/reader-choice';
import { answerChart } from '../answer/answer-chart';
import { answerSentence } from '../answer/answer-sentence';
import { type QuestionDto, mapQuestion } from '../dtos/question.dto';
import type { QuestionEntity } from '../entities/question.entity';
import type { PlannerDataset } from '../planner/plan';
import { type PlannerModel, QuestionPlanner } from '../planner/question-planner';
import { DatasetQueries, InvalidQueryError } from '../query/dataset-queries';
import { KnownValuesCache } from './known-values-cache';
import { QUERY_LIMITS, type QueryResult, type StructuredQuery } from '../query/structured-query';
import { QuestionsRepository } from '../repositories/questions.repository';
import { questionText } from './question-text';

/** Text columns with at most this many distinct values have them all read for the planner. */
export const KNOWN_VALUES_MAX_DISTINCT = 200;
/** Of those, this many columns at most: one query each, while the caller waits. */
export const KNOWN_VALUES_MAX_COLUMNS = 20;
/** How long a caller should wait after `model-unavailable`. */
const MODEL_RETRY_AFTER_SECONDS = 10;
/** A refusal lists this many columns and not-understood words at most (a bounded body). */
const REFUSAL_LIST_MAX = 100;

/**
 * Asking a dataset: a question becomes a structured query (never SQL text), the query runs
 * read-only, and the answer, its chart and the query are stored together.
 */
@Injectable()
export class QuestionsService {
  private readonly logger = new Logger(QuestionsService.name);

  private readonly knownValues = new KnownValuesCache();

  constructor(
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    private readonly questions: QuestionsRepository,
    private readonly planner: QuestionPlanner,
    private readonly queries: DatasetQueries,
    private readonly model: QuestionModel,
  ) {}

  /**
   * Answers `question` about the dataset: 400 for an empty or too long question, 404 for a
   * dataset not in the organization, 422 for a question it will not guess at. Nothing is
   * stored unless it answers.
   */
  async ask(
    organizationId: string,
    datasetId: string,
    question: string,
    principal: Principal,
  ): Promise<QuestionEntity> {
    const started = performance.now();
    const text = questionText(question);
    const dataset = await this.datasets.get(organizationId, datasetId);
    const columns = dataset.columns.map((column) => column.name);
    // The builtin planner does not obey text, but the model reads it (as the analysis
    // agents do): an instruction in a question is refused, never passed on.
    const injection = injectionPattern(text);
    if (injection !== undefined) {
      throw refused(
        `The question reads like an instruction to a model (${injection}), not a question about the data`,
        [],
        columns,
      );
    }
    const plannerDataset = await this.plannerDataset(organizationId, dataset);
    const setting = this.config.questions.planner;
    const hasModel = this.model.model !== undefined;
    const plan = wantsBuiltinPlan(setting, hasModel)
      ? this.planner.plan(text, plannerDataset)
      : undefined;
    if (chooseReader(setting, hasModel, plan) === 'model') {
      return this.askModel(organizationId, dataset, text, plannerDataset, principal, started);
    }
    if (plan === undefined) throw new Error('the builtin reader was chosen without a plan');
    if (plan.kind === 'refused') throw refused(plan.reason, plan.notUnderstood, columns);

    // The row cap holds whatever the planner asked for: a result is stored whole.
    const query: StructuredQuery = {
      ...plan.query,
      limit: Math.min(plan.query.limit ?? QUERY_LIMITS.rows, QUERY_LIMITS.rows),
    };
    const result = await this.run(organizationId, dataset, query, columns);
    return this.store(organizationId, dataset, principal, started, {
      question: text,
      answer: answerSentence(query, result, plan.readings),
      query,
      result,
      readings: plan.readings,
      model: this.planner.model,
      // The builtin planner makes no model call: there is no tool call to name.
      toolCallId: null,
    });
  }

  /** A page of the dataset's questions, newest first (404 for another organization's dataset). */
  async list(
    organizationId: string,
    datasetId: string,
    page: PageQueryDto,
  ): Promise<Page<QuestionDto>> {
    const dataset = await this.datasets.get(organizationId, datasetId);
    const rows = await this.questions.listForDataset(
      organizationId,
      dataset.id,
      page.limit,
      decodeCursor(page.cursor),
    );
    return toPage(rows, page.limit, mapQuestion);
  }

  /** The question, or 404 — also for another organization's. */
  async get(organizationId: string, id: string): Promise<QuestionEntity> {
    const question = await this.questions.find(organizationId, id);
    if (question === null)
      throw new ProblemException(404, 'not-found', `There is no question ${id}`);
    return question;
  }

  /** The question's chart as SVG; 404 when it has none (its result is plain rows). */
  async chartSvg(organizationId: string, id: string): Promise<string> {
    const question = await this.get(organizationId, id);
    if (question.chart === null)
      throw new ProblemException(404, 'not-found', `Question ${id} has no chart`);
    return renderVegaLiteSvg(question.chart as unknown as TopLevelSpec);
  }

  /**
   * The `ask` agent reads the question: it fills the query through `run_query` (the same
   * compiler and read-only repository) and writes the answer. Its refusals are 422s.
   */
  private async askModel(
    organizationId: string,
    dataset: DatasetEntity,
    question: string,
    plannerDataset: PlannerDataset,
    principal: Principal,
    started: number,
  ): Promise<QuestionEntity> {
    const model = this.model.model;
    if (model === undefined) throw new Error('the model reader was chosen without a model');
    const outcome = await this.model
      .ask({
        question,
        dataset: plannerDataset,
        run: (query) =>
          this.queries.run(organizationId, dataset, query, {
            timeoutMs: this.config.questions.statementTimeoutMs,
          }),
      })
      .catch((error: unknown) => {
        if (!isModelCallError(error)) throw error;
        // The model's server is down or refused the call: the caller may retry, and the
        // driver's message (which may name the server) stays in the log.
        this.logger.warn({ reason: String(error) }, 'the model could not be reached');
        throw new RetryLaterException(
          503,
          'model-unavailable',
          'The model could not be reached; try again shortly',
          MODEL_RETRY_AFTER_SECONDS,
        );
      });
    if (outcome.kind === 'refused') {
      const columns = dataset.columns.map((column) => column.name);
      throw refused(`The model could not answer: ${outcome.reason}`, [], columns);
    }
    return this.store(organizationId, dataset, principal, started, {
      question,
      answer: outcome.answer,
      query: outcome.query,
      result: outcome.result,
      // A model gives no readings of its own; `query` is what it read.
      readings: [],
      model,
      toolCallId: outcome.toolCallId,
    });
  }

  private store(
    organizationId: string,
    dataset: DatasetEntity,
    principal: Principal,
    started: number,
    answered: {
      question: string;
      answer: string;
      query: StructuredQuery;
      result: QueryResult;
      readings: string[];
      model: PlannerModel;
      toolCallId: string | null;
    },
  ): Promise<QuestionEntity> {
    const chart = answerChart(answered.query, answered.result);
    return this.questions.insert(organizationId, {
      id: randomUUID(),
      datasetId: dataset.id,
      question: answered.question,
      answer: answered.answer,
      query: answered.query,
      result: answered.result,
      chart: chart === null ? null : (chart as unknown as Record<string, unknown>),
      readings: answered.readings,
      modelProvider: answered.model.provider,
      modelName: answered.model.name,
      toolCallId: answered.toolCallId,
      durationMs: Math.round(performance.now() - started),
      createdBy: principal.id,
    });
  }

  private async run(
    organizationId: string,
    dataset: DatasetEntity,
    query: StructuredQuery,
    columns: string[],
  ) {
    try {
      return await this.queries.run(organizationId, dataset, query, {
        timeoutMs: this.config.questions.statementTimeoutMs,
      });
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      // The planner built a query the compiler refuses: a planner bug, but the caller's
      // answer is still "not understood", not a 500.
      this.logger.warn({ query, reason: error.message }, 'planned query refused by validation');
      throw refused(
        `The question was read as a query that does not fit the dataset: ${error.message}`,
        [],
        columns,
      );
    }
  }

  /** What the planner reads: columns, profile, and every value of the few-valued text columns. */
  private async plannerDataset(
    organizationId: string,
    dataset: DatasetEntity,
  ): Promise<PlannerDataset> {
    const few = dataset.profile
      .filter(
        (column) => column.type === 'string' && column.distinctCount <= KNOWN_VALUES_MAX_DISTINCT,
      )
      .slice(0, KNOWN_VALUES_MAX_COLUMNS);
    const values = await this.knownValues.get(`${organizationId}:${dataset.id}`, async () => {
      const known = new Map<string, string[]>();
      for (const column of few) {
        const result = await this.queries.run(
          organizationId,
          dataset,
          {
            measures: [{ agg: 'count' }],
            groupBy: [{ column: column.name }],
            limit: KNOWN_VALUES_MAX_DISTINCT,
          },
          { timeoutMs: this.config.questions.statementTimeoutMs },
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
function isModelCallError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    if (cause instanceof ModelCallError) return true;
    cause = cause.cause;
  }
  return false;
}

/** The 422 for a question the service will not answer: why, what it missed, what exists. */
function refused(reason: string, notUnderstood: string[], columns: string[]): ProblemException {
  return new ProblemException(422, 'question-not-understood', reason, undefined, {
    notUnderstood: notUnderstood.slice(0, REFUSAL_LIST_MAX),
    columns: columns.slice(0, REFUSAL_LIST_MAX),
  });
}
