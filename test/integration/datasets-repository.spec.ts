import { type OrganizationId } from '@app/tenancy';
import { DATASET_ROWS_SCHEMA, DatasetEntity } from '@app/datasets';
import { DatasetsRepository } from '../../libs/datasets/src/repositories/datasets.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

describe('DatasetsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: DatasetsRepository;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    db = await repositoryDatabase();
    repository = new DatasetsRepository(db.dataSource.getRepository(DatasetEntity));
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
  });
  afterAll(async () => {
    await db.close();
  });

  const tableExists = async (tableName: string) => {
    const rows = await db.dataSource.query<unknown[]>(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [DATASET_ROWS_SCHEMA, tableName],
    );
    return rows.length === 1;
  };

  it("inserts in the caller's transaction: nothing is there if it rolls back", async () => {
    const id = '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c';
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    await repository.insert(
      org,
      {
        id,
        name: 'rolled back',
        status: 'ready',
        tableName: 'd_none',
        rowCount: 0,
        byteSize: 0,
        delimiter: ',',
        hasHeader: true,
        columns: [],
        profile: [],
        typeChanges: [],
        createdBy: 'test',
      },
      runner.manager,
    );
    await expect(runner.manager.findOneBy(DatasetEntity, { id })).resolves.not.toBeNull();
    await runner.rollbackTransaction();
    await runner.release();
    await expect(repository.find(org, id)).resolves.toBeNull();
  });

  it("finds the organization's dataset, and nothing for another organization", async () => {
    const dataset = await db.factory.newDataset(org, 'a,b\n1,x\n2,y\n', 'found.csv');
    const found = await repository.find(org, dataset.id);
    expect(found).toMatchObject({
      id: dataset.id,
      organizationId: org,
      name: 'found.csv',
      rowCount: 2,
      columns: [
        { name: 'a', column: 'a', type: 'integer' },
        { name: 'b', column: 'b', type: 'string' },
      ],
    });
    expect(found?.profile).toHaveLength(2);
    await expect(repository.find(other, dataset.id)).resolves.toBeNull();
  });

  it('lists newest first without profiles, limit + 1 rows, and goes on after a position', async () => {
    const lister = await db.factory.newOrganization();
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await db.factory.newDataset(lister)).id);
    const first = await repository.list(lister, 2, undefined);
    expect(first.map((row) => row.item.id)).toEqual([made[2], made[1], made[0]]);
    expect(first[0]?.item).toMatchObject({ rowCount: 2 });
    expect((first[0]?.item as { profile?: unknown }).profile).toBeUndefined();
    expect(first[0]?.position.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const after = first[1]?.position;
    const rest = await repository.list(lister, 2, after);
    expect(rest.map((row) => row.item.id)).toEqual([made[0]]);
    await expect(repository.list(other, 10, undefined)).resolves.toEqual([]);
  });

  it('says which ids are datasets of the organization, and none of another', async () => {
    const dataset = await db.factory.newDataset(org);
    const unknown = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
    await expect(repository.existingIds(org, [dataset.id, unknown])).resolves.toEqual(
      new Set([dataset.id]),
    );
    await expect(repository.existingIds(other, [dataset.id])).resolves.toEqual(new Set());
    await expect(repository.existingIds(org, [])).resolves.toEqual(new Set());
  });

  it("deletes and drops nothing for another organization, then the owner's delete does both", async () => {
    const dataset = await db.factory.newDataset(org);
    await expect(repository.delete(other, dataset)).resolves.toBe(false);
    expect(await tableExists(dataset.tableName)).toBe(true);
    await expect(repository.find(org, dataset.id)).resolves.not.toBeNull();

    await expect(repository.delete(org, dataset)).resolves.toBe(true);
    expect(await tableExists(dataset.tableName)).toBe(false);
    await expect(repository.find(org, dataset.id)).resolves.toBeNull();
    await expect(repository.delete(org, dataset)).resolves.toBe(false);
  });
});
