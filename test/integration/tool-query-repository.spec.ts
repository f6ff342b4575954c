import {
  ToolQueryRepository,
  toolScans,
} from '../../libs/analysis/src/repositories/tool-query.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

describe('ToolQueryRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: ToolQueryRepository;

  beforeAll(async () => {
    db = await repositoryDatabase();
    repository = new ToolQueryRepository(db.dataSource);
  });
  afterAll(async () => {
    await db.close();
  });

  it("runs a tool's statement with its values on a dataset's rows", async () => {
    const org = await db.factory.newOrganization();
    const dataset = await db.factory.newDataset(org, 'city,n\nOslo,1\nLima,2\nLima,4\n');
    const query = repository.readOnly(5000);
    const rows = await query<{ total: string }>(
      `SELECT sum(n)::text AS total FROM dataset_rows."${dataset.tableName}" WHERE city = $1`,
      ['Lima'],
    );
    expect(rows).toEqual([{ total: '6' }]);
  });

  it('runs read-only: a write is refused by PostgreSQL', async () => {
    await expect(repository.readOnly(5000)('CREATE TABLE written (n int)')).rejects.toMatchObject({
      driverError: { code: '25006' },
    });
  });

  it('stops a statement that outlasts its timeout', async () => {
    await expect(repository.readOnly(100)('SELECT pg_sleep(5)')).rejects.toMatchObject({
      driverError: { code: '57014' },
    });
  });

  it('cancels the statement in PostgreSQL when the signal aborts, and runs none after', async () => {
    const controller = new AbortController();
    const query = repository.readOnly(60_000, controller.signal);
    const started = Date.now();
    const sleeping = query('SELECT pg_sleep(30) AS tool_sleep');
    setTimeout(() => controller.abort(new Error('cancelled')), 300);
    // PostgreSQL's cancel (57014) reaches the tool as it is; the signal's reason stops the next.
    await expect(sleeping).rejects.toMatchObject({ driverError: { code: '57014' } });
    expect(Date.now() - started).toBeLessThan(5000);
    const running = await db.dataSource.query<unknown[]>(
      "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30) AS tool_sleep%'",
    );
    expect(running).toEqual([]);
    await expect(query('SELECT 1')).rejects.toThrow('cancelled');
  });

  it("binds the tools' repositories to the run: once it is aborted they run nothing", async () => {
    const org = await db.factory.newOrganization();
    const dataset = await db.factory.newDataset(org);
    const controller = new AbortController();
    const { scans } = toolScans(repository.readOnly(5000, controller.signal));
    await expect(scans.tablePages(org, dataset)).resolves.toBeGreaterThanOrEqual(0);
    controller.abort(new Error('cancelled'));
    await expect(scans.tablePages(org, dataset)).rejects.toThrow('cancelled');
  });
});
