import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import {
  decodeCursor,
  type Page,
  PageQueryDto,
  ProblemException,
  renderVegaLiteSvg,
  RetryLaterException,
  toPage,
} from '@app/common';
import { DatasetsService } from '@app/datasets';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import { performance } from 'node:perf_hooks';
import { answerChart } from '../answer/answer-chart';
import { type QuestionDto, mapQuestion } from '../dtos/question.dto';
import type { QuestionEntity } from '../entities/question.entity';
import { QuestionsRepository } from '../repositories/questions.repository';
import {
  type AnsweredQuestion,
  isModelCallError,
  QuestionAnsweringService,
} from './question-answering.service';
import { questionText } from './question-text';

/** How long a caller should wait after `model-unavailable`. */
const MODEL_RETRY_AFTER_SECONDS = 10;
/** A refusal lists this many columns and not-understood words at most (a bounded body). */
const REFUSAL_LIST_MAX = 100;

/**
 * Questions about one dataset: read as a structured query by the builtin planner or the
 * `ask` agent on the model (QuestionAnsweringService), run, answered, charted and kept.
 */
@Injectable()
export class QuestionsService {
  private readonly logger = new Logger(QuestionsService.name);

  constructor(
    private readonly datasets: DatasetsService,
    private readonly questions: QuestionsRepository,
    private readonly answering: QuestionAnsweringService,
  ) {}

  /**
   * Answers `question` about the dataset: 400 for an empty or too long question, 404 for a
   * dataset not in the organization, 422 for a question it will not guess at, 503 when the
   * model that would read it cannot be reached. Nothing is stored unless it answers.
   */
  async ask(
    organizationId: OrganizationId,
    datasetId: string,
    question: string,
    principal: Principal,
  ): Promise<QuestionEntity> {
    const started = performance.now();
    const text = questionText(question);
    const dataset = await this.datasets.get(organizationId, datasetId);
    const answered = await this.answering
      .answer(organizationId, dataset, text)
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
    if (answered.kind === 'refused') {
      throw refused(
        answered.reason,
        answered.notUnderstood,
        dataset.columns.map((column) => column.name),
      );
    }
    return this.store(organizationId, dataset.id, text, principal, started, answered);
  }

  /** A page of the dataset's questions, newest first (404 for another organization's dataset). */
  async list(
    organizationId: OrganizationId,
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
  async get(organizationId: OrganizationId, id: string): Promise<QuestionEntity> {
    const question = await this.questions.find(organizationId, id);
    if (question === null)
      throw new ProblemException(404, 'not-found', `There is no question ${id}`);
    return question;
  }

  /** The question's chart as SVG; 404 when it has none (its result is plain rows). */
  async chartSvg(organizationId: OrganizationId, id: string): Promise<string> {
    const question = await this.get(organizationId, id);
    if (question.chart === null)
      throw new ProblemException(404, 'not-found', `Question ${id} has no chart`);
    return renderVegaLiteSvg(question.chart as unknown as TopLevelSpec);
  }

  private store(
    organizationId: OrganizationId,
    datasetId: string,
    question: string,
    principal: Principal,
    started: number,
    answered: AnsweredQuestion,
  ): Promise<QuestionEntity> {
    const chart = answerChart(answered.query, answered.result);
    return this.questions.insert(organizationId, {
      id: randomUUID(),
      datasetId,
      question,
      answer: answered.answer,
      query: answered.query,
      result: answered.result,
      chart: chart === null ? null : (chart as unknown as Record<string, unknown>),
      readings: answered.readings,
      modelProvider: answered.model.provider,
      modelName: answered.model.name,
      toolCallId: answered.toolCallId,
      usage: answered.usage,
      durationMs: Math.round(performance.now() - started),
      createdBy: principal.id,
    });
  }
}

/** The 422 for a question the service will not answer: why, what it missed, what exists. */
function refused(reason: string, notUnderstood: string[], columns: string[]): ProblemException {
  return new ProblemException(422, 'question-not-understood', reason, undefined, {
    notUnderstood: notUnderstood.slice(0, REFUSAL_LIST_MAX),
    columns: columns.slice(0, REFUSAL_LIST_MAX),
  });
}
