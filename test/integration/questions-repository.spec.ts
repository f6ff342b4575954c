import { type OrganizationId } from '@app/tenancy';
import { QuestionEntity } from '@app/questions';
import { QuestionsRepository } from '../../libs/questions/src/repositories/questions.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

describe('QuestionsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: QuestionsRepository;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    db = await repositoryDatabase();
    repository = new QuestionsRepository(db.dataSource.getRepository(QuestionEntity));
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('inserts a question with its answer, found by its organization only', async () => {
    const dataset = await db.factory.newDataset(org);
    const asked = await db.factory.newQuestion(org, dataset.id, {
      question: 'how many cities?',
      readings: ['"cities" → city'],
      chart: { mark: 'text' },
    });
    expect(asked.createdAt).toBeInstanceOf(Date);
    await expect(repository.find(org, asked.id)).resolves.toMatchObject({
      id: asked.id,
      organizationId: org,
      datasetId: dataset.id,
      question: 'how many cities?',
      query: { measures: [{ agg: 'count' }] },
      result: { rows: [[2]] },
      readings: ['"cities" → city'],
      chart: { mark: 'text' },
      toolCallId: null,
    });
    await expect(repository.find(other, asked.id)).resolves.toBeNull();
  });

  it("lists one dataset's questions newest first, limit + 1 rows, and goes on after a position", async () => {
    const dataset = await db.factory.newDataset(org);
    const elsewhere = await db.factory.newDataset(org);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await db.factory.newQuestion(org, dataset.id)).id);
    await db.factory.newQuestion(org, elsewhere.id);
    const ids = (rows: Array<{ item: QuestionEntity }>) => rows.map((row) => row.item.id);

    const first = await repository.listForDataset(org, dataset.id, 2, undefined);
    expect(ids(first)).toEqual([made[2], made[1], made[0]]);
    const rest = await repository.listForDataset(org, dataset.id, 2, first[1]?.position);
    expect(ids(rest)).toEqual([made[0]]);
    await expect(repository.listForDataset(other, dataset.id, 10, undefined)).resolves.toEqual([]);
  });

  it("keeps the questions apart: another organization's dataset id lists nothing of this one", async () => {
    const dataset = await db.factory.newDataset(org);
    await db.factory.newQuestion(org, dataset.id);
    const theirs = await db.factory.newDataset(other);
    const asked = await db.factory.newQuestion(other, theirs.id);
    await expect(repository.listForDataset(org, theirs.id, 10, undefined)).resolves.toEqual([]);
    const listed = await repository.listForDataset(other, theirs.id, 10, undefined);
    expect(listed.map((row) => row.item.id)).toEqual([asked.id]);
  });
});
