import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { PageQueryDto, ProblemException } from '@app/common';
import type { QuestionEntity } from '../entities/question.entity';
import type { QuestionsRepository } from '../repositories/questions.repository';
import { dataset, datasets, ORG } from '../testing/question-fixtures';
import type { QuestionAnsweringService } from './question-answering.service';
import { QuestionsService } from './questions.service';

describe('QuestionsService: reading what was asked', () => {
  const OTHER = organizationIdOf('33333333-3333-4333-8333-333333333333');

  /** Questions in memory, kept apart by organization; records who each read was for. */
  function reading(rows: QuestionEntity[]) {
    const asked: Array<{ method: string; organizationId: OrganizationId }> = [];
    const repository = {
      find: (organizationId: OrganizationId, id: string) => {
        asked.push({ method: 'find', organizationId });
        const found = rows.find((row) => row.organizationId === organizationId && row.id === id);
        return Promise.resolve(found ?? null);
      },
      listForDataset: (organizationId: OrganizationId, datasetId: string, limit: number) => {
        asked.push({ method: 'listForDataset', organizationId });
        const own = rows.filter(
          (row) => row.organizationId === organizationId && row.datasetId === datasetId,
        );
        return Promise.resolve(
          own.slice(0, limit + 1).map((item) => ({
            item,
            position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
          })),
        );
      },
    } as unknown as QuestionsRepository;
    // Reads never reach the answering service.
    const answering = {} as QuestionAnsweringService;
    return { questions: new QuestionsService(datasets, repository, answering), asked };
  }

  const question = (organizationId: OrganizationId, id: string): QuestionEntity => ({
    id,
    organizationId,
    datasetId: dataset.id,
    question: 'how many rows?',
    answer: 'There are 8 rows.',
    query: { measures: [{ agg: 'count' }] },
    result: { columns: [{ name: 'count', type: 'number' }], rows: [[8]], truncated: false },
    chart: null,
    readings: [],
    modelProvider: 'builtin',
    modelName: 'test-planner',
    toolCallId: null,
    usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    durationMs: 3,
    createdBy: 'key-1',
    createdAt: new Date(Date.UTC(2026, 0, 1)),
  });
  const own = question(ORG, '44444444-4444-4444-8444-444444444444');
  const others = question(OTHER, '55555555-5555-4555-8555-555555555555');

  it("answers the organization's question, and 404 for another organization's", async () => {
    const { questions, asked } = reading([own, others]);
    await expect(questions.get(ORG, own.id)).resolves.toBe(own);
    const refused = questions.get(ORG, others.id);
    await expect(refused).rejects.toBeInstanceOf(ProblemException);
    await expect(refused).rejects.toMatchObject({
      status: 404,
      slug: 'not-found',
      message: `There is no question ${others.id}`,
    });
    expect(asked).toEqual([
      { method: 'find', organizationId: ORG },
      { method: 'find', organizationId: ORG },
    ]);
  });

  it('answers 404 for the chart of a question without one, and of another organization', async () => {
    const { questions } = reading([own, others]);
    await expect(questions.chartSvg(ORG, own.id)).rejects.toMatchObject({
      status: 404,
      message: `Question ${own.id} has no chart`,
    });
    await expect(questions.chartSvg(ORG, others.id)).rejects.toMatchObject({
      status: 404,
      message: `There is no question ${others.id}`,
    });
  });

  it("lists the dataset's questions, and 404 before any read for another organization's dataset", async () => {
    const { questions, asked } = reading([own, others]);
    const page = Object.assign(new PageQueryDto(), { limit: 10 });
    await expect(questions.list(ORG, dataset.id, page)).resolves.toEqual({
      data: [expect.objectContaining({ id: own.id })],
      nextCursor: null,
    });
    await expect(questions.list(OTHER, dataset.id, page)).rejects.toMatchObject({ status: 404 });
    expect(asked).toEqual([{ method: 'listForDataset', organizationId: ORG }]);
  });
});
