import type { Principal } from '@app/access';
import { injectionPattern } from '@app/analysis';
import {
  decodeCursor,
  type Page,
  PageQueryDto,
  ProblemException,
  renderVegaLiteSvg,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { type DatasetEntity, DatasetsService } from '@app/datasets';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import { performance } from 'node:perf_hooks';
import { answerChart } from '../answer/answer-chart';
import { answerSentence } from '../answer/answer-sentence';
import { type QuestionDto, mapQuestion } from '../dtos/question.dto';
import type { QuestionEntity } from '../entities/question.entity';
import type { PlannerDataset } from '../planner/plan';
import { QuestionPlanner } from '../planner/question-planner';
import { DatasetQueries, InvalidQueryError } from '../query/dataset-queries';
import { KnownValuesCache } from './known-values-cache';
import { QUERY_LIMITS, type StructuredQuery } from '../query/structured-query';
import { QuestionsRepository } from '../repositories/questions.repository';
import { questionText } from './question-text';

/** Text columns with at most this many distinct values have them all read for the planner. */
export const KNOWN_VALUES_MAX_DISTINCT = 200;
/** Of those, this many columns at most: one query each, while the caller waits. */
export const KNOWN_VALUES_MAX_COLUMNS = 20;
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
    // The builtin planner does not obey text, but a model-backed one would read it (as the
    // analysis agents do): an instruction in a question is refused, never passed on.
    const injection = injectionPattern(text);
    if (injection !== undefined) {
      throw refused(
        `The question reads like an instruction to a model (${injection}), not a question about the data`,
        [],
        columns,
      );
    }
    const plan = this.planner.plan(text, await this.plannerDataset(organizationId, dataset));
    if (plan.kind === 'refused') throw refused(plan.reason, plan.notUnderstood, columns);

    // The row cap holds whatever the planner asked for: a result is stored whole.
    const query: StructuredQuery = {
      ...plan.query,
      limit: Math.min(plan.query.limit ?? QUERY_LIMITS.rows, QUERY_LIMITS.rows),
    };
    const result = await this.run(organizationId, dataset, query, columns);
    const chart = answerChart(query, result);
    return this.questions.insert(organizationId, {
      id: randomUUID(),
      datasetId: dataset.id,
      question: text,
      answer: answerSentence(query, result, plan.readings),
      query,
      result,
      chart: chart === null ? null : (chart as unknown as Record<string, unknown>),
      readings: plan.readings,
      modelProvider: this.planner.model.provider,
      modelName: this.planner.model.name,
      // The builtin planner makes no model call: there is no tool call to name.
      toolCallId: null,
      durationMs: Math.round(performance.now() - started),
      createdBy: principal.id,
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

/** The 422 for a question the service will not answer: why, what it missed, what exists. */
function refused(reason: string, notUnderstood: string[], columns: string[]): ProblemException {
  return new ProblemException(422, 'question-not-understood', reason, undefined, {
    notUnderstood: notUnderstood.slice(0, REFUSAL_LIST_MAX),
    columns: columns.slice(0, REFUSAL_LIST_MAX),
  });
}
