import { type OrganizationId } from '@app/tenancy';
import { randomUUID } from 'node:crypto';
import { AnalysisEntity } from '../../libs/analysis/src/entities/analysis.entity';
import { AnalysesRepository } from '../../libs/analysis/src/repositories/analyses.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

describe('AnalysesRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: AnalysesRepository;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    db = await repositoryDatabase();
    repository = new AnalysesRepository(db.dataSource.getRepository(AnalysisEntity));
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
  });
  afterAll(async () => {
    await db.close();
  });

  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const statusOf = async (id: string) =>
    (await db.dataSource.getRepository(AnalysisEntity).findOneBy({ id }))?.status;

  it("inserts in the caller's transaction: nothing is there when it rolls back", async () => {
    const id = randomUUID();
    await expect(
      repository.inTransaction(async (work) => {
        const made = await db.factory.newAnalysis(org);
        await repository.insert(org, { ...made, id, question: 'kept?' }, work);
        await expect(work.findOneBy(AnalysisEntity, { id })).resolves.toMatchObject({
          organizationId: org,
          question: 'kept?',
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await expect(repository.find(org, id)).resolves.toBeNull();
  });

  it("finds the organization's analysis, and nothing for another organization", async () => {
    const analysis = await db.factory.newAnalysis(org, { question: 'why?' });
    await expect(repository.find(org, analysis.id)).resolves.toMatchObject({
      id: analysis.id,
      organizationId: org,
      status: 'queued',
      question: 'why?',
      input: { kind: 'text', text: 'a test' },
    });
    await expect(repository.find(other, analysis.id)).resolves.toBeNull();
  });

  describe('transition', () => {
    it('moves only from the statuses given, with its changes', async () => {
      const analysis = await db.factory.newAnalysis(org);
      const completedAt = new Date('2026-01-01T00:00:00.000Z');
      await expect(
        repository.transition(org, analysis.id, ['running'], 'succeeded', { completedAt }),
      ).resolves.toBe(false);
      await expect(
        repository.transition(org, analysis.id, ['queued', 'running'], 'cancelled', {
          completedAt,
          error: 'cancelled',
          errorCode: 'cancelled',
        }),
      ).resolves.toBe(true);
      await expect(repository.find(org, analysis.id)).resolves.toMatchObject({
        status: 'cancelled',
        completedAt,
        errorCode: 'cancelled',
      });
    });

    it("changes nothing of another organization's analysis", async () => {
      const analysis = await db.factory.newAnalysis(org);
      await expect(
        repository.transition(other, analysis.id, ['queued'], 'cancelled'),
      ).resolves.toBe(false);
      expect(await statusOf(analysis.id)).toBe('queued');
    });

    it("moves within the caller's transaction, undone when it rolls back", async () => {
      const analysis = await db.factory.newAnalysis(org);
      await repository
        .inTransaction(async (work) => {
          await repository.transition(org, analysis.id, ['queued'], 'running', {}, work);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await statusOf(analysis.id)).toBe('queued');
    });
  });

  it('renews the heartbeat and answers the status; nothing for another organization', async () => {
    const analysis = await db.factory.newAnalysis(org, {
      status: 'running',
      heartbeatAt: minutesAgo(10),
    });
    await expect(repository.heartbeat(other, analysis.id)).resolves.toBeUndefined();
    expect((await repository.find(org, analysis.id))?.heartbeatAt?.getTime()).toBeLessThan(
      minutesAgo(5).getTime(),
    );
    await expect(repository.heartbeat(org, analysis.id)).resolves.toBe('running');
    expect((await repository.find(org, analysis.id))?.heartbeatAt?.getTime()).toBeGreaterThan(
      minutesAgo(1).getTime(),
    );
  });

  it('finds stale running analyses of every organization; one claim each, by its organization', async () => {
    const mine = await db.factory.newAnalysis(org, {
      status: 'running',
      heartbeatAt: minutesAgo(9),
    });
    const theirs = await db.factory.newAnalysis(other, {
      status: 'running',
      heartbeatAt: minutesAgo(8),
    });
    const beating = await db.factory.newAnalysis(org, {
      status: 'running',
      heartbeatAt: new Date(),
    });
    const finished = await db.factory.newAnalysis(org, {
      status: 'succeeded',
      heartbeatAt: minutesAgo(9),
    });
    const stale = await repository.stale(60_000);
    expect(stale).toEqual(
      expect.arrayContaining([
        { organizationId: org, id: mine.id },
        { organizationId: other, id: theirs.id },
      ]),
    );
    const ids = stale.map((row) => row.id);
    expect(ids).not.toContain(beating.id);
    expect(ids).not.toContain(finished.id);
    // Oldest heartbeat first.
    expect(ids.indexOf(mine.id)).toBeLessThan(ids.indexOf(theirs.id));

    await expect(repository.claimStale(other, mine.id, 60_000)).resolves.toBe(false);
    await expect(repository.claimStale(org, mine.id, 60_000)).resolves.toBe(true);
    // The claim renewed the heartbeat: a second consumer's claim does not land.
    await expect(repository.claimStale(org, mine.id, 60_000)).resolves.toBe(false);
    await expect(repository.claimStale(org, beating.id, 60_000)).resolves.toBe(false);
  });

  it('lists newest first with its filters, limit + 1 rows, and goes on after a position', async () => {
    const lister = await db.factory.newOrganization();
    const dataset = await db.factory.newDataset(lister);
    const datasetInput = { kind: 'dataset' as const, datasetId: dataset.id };
    const made: AnalysisEntity[] = [];
    for (const status of ['queued', 'succeeded', 'succeeded', 'failed'] as const)
      made.push(
        await db.factory.newAnalysis(lister, {
          status,
          ...(status === 'failed' ? {} : { input: datasetInput, datasetId: dataset.id }),
        }),
      );
    const ids = (rows: Array<{ item: AnalysisEntity }>) => rows.map((row) => row.item.id);
    const newest = [...made].reverse().map((analysis) => analysis.id);

    const first = await repository.list(lister, {}, 2, undefined);
    expect(ids(first)).toEqual(newest.slice(0, 3));
    const rest = await repository.list(lister, {}, 2, first[1]?.position);
    expect(ids(rest)).toEqual(newest.slice(2));

    const succeeded = await repository.list(lister, { status: 'succeeded' }, 10, undefined);
    expect(ids(succeeded)).toEqual([made[2]?.id, made[1]?.id]);
    const ofDataset = await repository.list(lister, { datasetId: dataset.id }, 10, undefined);
    expect(ids(ofDataset)).toEqual([made[2]?.id, made[1]?.id, made[0]?.id]);

    await expect(repository.list(other, { datasetId: dataset.id }, 10, undefined)).resolves.toEqual(
      [],
    );
  });
});
