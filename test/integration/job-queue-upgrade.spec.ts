import {
  JOB_SCHEMA,
  JobQueue,
  JobQueueSchemaError,
  RETIRED_JOB_SCHEMA,
  upgradeJobQueue,
} from '@app/database';
import { Client } from 'pg';
// pg-boss 10.4.2, the version Sightline ran before pg-boss 12, installed under an alias in
// devDependencies for this test only: it writes the schema an existing database holds.
import PgBoss10 from 'pg-boss-10';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const QUEUE = 'analysis';
const OPTIONS = { retryLimit: 2, retryDelay: 2, retryBackoff: true, expireInSeconds: 180 };

/** An existing Sightline database: pg-boss 10's schema with jobs in every state. */
async function populateWithPgBoss10(url: string) {
  const boss = new PgBoss10({ connectionString: url, schema: JOB_SCHEMA, max: 2 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue(QUEUE, { name: QUEUE, ...OPTIONS });
  const running = await boss.send(QUEUE, { analysisId: 'running' });
  const done = await boss.send(QUEUE, { analysisId: 'done' });
  // Both claimed; `running` by a worker that dies before it completes.
  const claimed = await boss.fetch(QUEUE, { batchSize: 2 });
  expect(claimed.map((job) => job.id).sort()).toEqual([running, done].sort());
  await boss.complete(QUEUE, done!);
  const waiting = await boss.send(QUEUE, { analysisId: 'waiting' });
  const later = await boss.send(QUEUE, { analysisId: 'later' }, { startAfter: 3600 });
  const { rows } = await boss.getDb().executeSql(`SELECT version FROM ${JOB_SCHEMA}.version`, []);
  await boss.stop({ graceful: false, wait: true });
  return { version: Number(rows[0].version), waiting, later, running, done };
}

describe('Upgrading the job queue from pg-boss 10', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function query<T>(sql: string): Promise<T[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('refuses to start on the old schema, then the upgrade keeps the queued jobs', async () => {
    const old = await populateWithPgBoss10(database.url);
    expect(old.version).toBe(24);

    // pg-boss 12 cannot migrate it ("Cannot migrate pg-boss schema from version 24"): start-up
    // stops before pg-boss does, saying what to do.
    const refused = new JobQueue({ databaseUrl: database.url });
    const failure = refused.onModuleInit();
    await expect(failure).rejects.toThrow(JobQueueSchemaError);
    await expect(failure).rejects.toThrow(/pg-boss 10 \(schema version 24\).*upgrade-job-queue/);
    await refused.onApplicationShutdown();
    // Nothing was touched.
    expect(await query(`SELECT version FROM ${JOB_SCHEMA}.version`)).toEqual([{ version: 24 }]);

    expect(await upgradeJobQueue(database.url)).toEqual({ fromVersion: 24, queues: 1, jobs: 3 });
    expect(
      await query(`SELECT 1 FROM pg_namespace WHERE nspname = '${RETIRED_JOB_SCHEMA}'`),
    ).toEqual([]);

    const queue = new JobQueue({ databaseUrl: database.url });
    await queue.onModuleInit();
    try {
      expect(await queue.boss.getQueue(QUEUE)).toMatchObject(OPTIONS);
      const jobs = await queue.boss.findJobs<{ analysisId: string }>(QUEUE);
      expect(
        jobs
          .map((job) => ({ id: job.id, data: job.data, state: job.state, limit: job.retryLimit }))
          .sort((a, b) => a.data.analysisId.localeCompare(b.data.analysisId)),
      ).toEqual([
        { id: old.later, data: { analysisId: 'later' }, state: 'created', limit: 2 },
        // The claimed job had used none of its retries: it keeps both.
        { id: old.running, data: { analysisId: 'running' }, state: 'created', limit: 2 },
        { id: old.waiting, data: { analysisId: 'waiting' }, state: 'created', limit: 2 },
      ]);
      const later = jobs.find((job) => job.id === old.later);
      expect(later!.startAfter.getTime()).toBeGreaterThan(Date.now() + 3_500_000);

      // A consumer gets the waiting and the interrupted job, not the one due in an hour.
      const fetched = await queue.boss.fetch<{ analysisId: string }>(QUEUE, { batchSize: 10 });
      expect(fetched.map((job) => job.id).sort()).toEqual([old.running, old.waiting].sort());
    } finally {
      await queue.onApplicationShutdown();
    }

    // Again: nothing left to do.
    expect(await upgradeJobQueue(database.url)).toEqual({ fromVersion: null, queues: 0, jobs: 0 });
  });

  it('finishes an upgrade interrupted after the old schema was set aside', async () => {
    const fresh = await createTestDatabase();
    try {
      const old = await populateWithPgBoss10(fresh.url);
      const client = new Client({ connectionString: fresh.url });
      await client.connect();
      await client.query(`ALTER SCHEMA ${JOB_SCHEMA} RENAME TO ${RETIRED_JOB_SCHEMA}`);
      await client.end();

      expect(await upgradeJobQueue(fresh.url)).toEqual({ fromVersion: 24, queues: 1, jobs: 3 });
      const queue = new JobQueue({ databaseUrl: fresh.url });
      await queue.onModuleInit();
      try {
        const jobs = await queue.boss.findJobs(QUEUE);
        expect(jobs.map((job) => job.id).sort()).toEqual(
          [old.waiting, old.later, old.running].sort(),
        );
      } finally {
        await queue.onApplicationShutdown();
      }
    } finally {
      await fresh.drop();
    }
  });
});
