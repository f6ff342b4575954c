import { ProblemException, RetryLaterException } from '@app/common';
import { type CompiledQuery, compileQuery, type QuestionQueryRepository } from '@app/questions';
import { questionDatabase, type QuestionDatabase } from '../support/question-dataset';

describe('QuestionQueryRepository (real PostgreSQL)', () => {
  let db: QuestionDatabase;
  let repository: QuestionQueryRepository;
  let count: CompiledQuery;

  beforeAll(async () => {
    db = await questionDatabase();
    repository = db.repository;
    count = compileQuery({ measures: [{ agg: 'count' }] }, db.dataset);
  });
  afterAll(async () => {
    await db.close();
  });

  /** A statement of the test's own in place of a compiled one, to see how it is run. */
  const statement = (sql: string): CompiledQuery => ({ ...count, sql, values: [] });

  it("finds nothing in another organization's dataset", async () => {
    const run = repository.run(db.otherOrganizationId, db.dataset, count, { timeoutMs: 5000 });
    await expect(run).rejects.toBeInstanceOf(ProblemException);
    await expect(run).rejects.toMatchObject({ status: 404, slug: 'not-found' });
    const own = await repository.run(db.organizationId, db.dataset, count, { timeoutMs: 5000 });
    expect(own.rows).toEqual([[8]]);
  });

  it('refuses a statement compiled for another table', async () => {
    const other = { ...db.dataset, tableName: 'd_other' };
    await expect(
      repository.run(db.organizationId, other, count, { timeoutMs: 5000 }),
    ).rejects.toThrow(/compiled for/);
  });

  it('answers a statement that outlasts its timeout with a 503 query-timeout', async () => {
    const slow = statement('SELECT pg_sleep(5) AS c0');
    const run = repository.run(db.organizationId, db.dataset, slow, { timeoutMs: 100 });
    await expect(run).rejects.toBeInstanceOf(RetryLaterException);
    await expect(run).rejects.toMatchObject({ status: 503, slug: 'query-timeout' });
  });

  it('cancels the statement in PostgreSQL when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = repository.run(
      db.organizationId,
      db.dataset,
      statement('SELECT pg_sleep(30) AS c0'),
      {
        timeoutMs: 60_000,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new Error('stopped')), 300);
    await expect(run).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(5000);
    const sleeping = await db.dataSource.query<unknown[]>(
      "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'",
    );
    expect(sleeping).toEqual([]);
  });

  it('runs in a read-only transaction', async () => {
    const write = statement('CREATE TABLE written (c0 int)');
    await expect(
      repository.run(db.organizationId, db.dataset, write, { timeoutMs: 5000 }),
    ).rejects.toMatchObject({ driverError: { code: '25006' } });
  });

  it("gives the statement the question's work_mem, and only that transaction", async () => {
    const workMem = statement("SELECT current_setting('work_mem') AS c0");
    const run = (workMemMb?: number) =>
      repository.run(db.organizationId, db.dataset, workMem, {
        timeoutMs: 5000,
        ...(workMemMb === undefined ? {} : { workMemMb }),
      });
    const session = await db.dataSource.query<Array<{ work_mem: string }>>('SHOW work_mem');
    expect((await run(96)).rows).toEqual([['96MB']]);
    expect((await run()).rows).toEqual([[session[0]?.work_mem]]);
    expect(session[0]?.work_mem).not.toBe('96MB');
  });
});
