import { Client } from 'pg';
import { PgBoss, type JobInsert, type QueuePolicy } from 'pg-boss';

/** The schema pg-boss keeps its tables in. */
export const JOB_SCHEMA = 'pgboss';
/** Where `upgrade-job-queue` moves a pg-boss 10 schema while it copies the queued jobs out. */
export const RETIRED_JOB_SCHEMA = `${JOB_SCHEMA}_v10`;
/**
 * The oldest schema version pg-boss 12 migrates from (11.1's). pg-boss 10 wrote 21 to 24, and no
 * pg-boss release migrates those: pg-boss 11 rewrote the schema.
 */
export const FIRST_MIGRATABLE_JOB_SCHEMA = 25;
/** Serialises concurrent runs of the upgrade. */
const UPGRADE_LOCK = 7_431_024;
/** Jobs per insert. */
const BATCH = 500;

/** The job queue's schema is one this version cannot use: start-up stops with what to do. */
export class JobQueueSchemaError extends Error {
  override name = 'JobQueueSchemaError';
}

export function unmigratableSchemaMessage(version: number): string {
  return (
    `The job queue's schema "${JOB_SCHEMA}" was created by pg-boss 10 (schema version ${version}); ` +
    'this version of Sightline runs pg-boss 12, which cannot migrate it. Stop every Sightline ' +
    'process (api and worker), then run once: `sightline-cli upgrade-job-queue` ' +
    '(`npm run cli -- upgrade-job-queue`). It moves the queued jobs to a new schema; see ' +
    'docs/analyses.md, "Upgrading the job queue".'
  );
}

/** The version in `schema`'s pg-boss version table, or null when pg-boss is not installed there. */
export async function jobSchemaVersion(client: Client, schema: string): Promise<number | null> {
  const { rows } = await client.query<{ installed: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS installed',
    [`${schema}.version`],
  );
  if (!rows[0]?.installed) return null;
  const version = await client.query<{ version: string }>(`SELECT version FROM ${schema}.version`);
  return version.rows.length === 0 ? null : Number(version.rows[0]?.version);
}

/** Fails with {@link JobQueueSchemaError} when the database holds a schema pg-boss 12 cannot migrate. */
export async function assertJobSchemaUsable(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'sightline-jobs' });
  await client.connect();
  try {
    const version = await jobSchemaVersion(client, JOB_SCHEMA);
    if (version !== null && version < FIRST_MIGRATABLE_JOB_SCHEMA)
      throw new JobQueueSchemaError(unmigratableSchemaMessage(version));
  } finally {
    await client.end();
  }
}

export interface JobQueueUpgrade {
  /** The pg-boss 10 schema version found, or null when there was nothing to upgrade. */
  fromVersion: number | null;
  queues: number;
  /** Jobs waiting, retrying or running in the old schema, now waiting in the new one. */
  jobs: number;
}

interface V10Queue {
  name: string;
  /** standard, short, singleton or stately: pg-boss 12 has each. */
  policy: QueuePolicy | null;
  retry_limit: number | null;
  retry_delay: number | null;
  retry_backoff: boolean | null;
  expire_seconds: number | null;
  retention_minutes: number | null;
  dead_letter: string | null;
}

interface V10Job {
  id: string;
  name: string;
  priority: number;
  data: object | null;
  state: 'created' | 'retry' | 'active';
  retries_left: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date;
  singleton_key: string | null;
  expire_seconds: number;
  retention_seconds: number;
  dead_letter: string | null;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined),
  ) as T;
}

/**
 * Moves a pg-boss 10 job queue to pg-boss 12, for an operator, with every Sightline process
 * stopped: renames the old schema to {@link RETIRED_JOB_SCHEMA}, lets pg-boss 12 install its own,
 * recreates the queues with their options and inserts the jobs that were waiting, retrying or
 * running (those start again, with the retries they had left), keeping their ids; then drops
 * the old schema. Completed, failed and cancelled jobs are history and are not kept, nor are
 * cron schedules (Sightline has none). Each step
 * can be repeated: a run interrupted half-way finishes on the next. Resolves with
 * `fromVersion: null` when there is no pg-boss 10 schema.
 */
export async function upgradeJobQueue(databaseUrl: string): Promise<JobQueueUpgrade> {
  const client = new Client({
    connectionString: databaseUrl,
    application_name: 'sightline-jobs-upgrade',
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [UPGRADE_LOCK]);
    const current = await jobSchemaVersion(client, JOB_SCHEMA);
    const retired = await jobSchemaVersion(client, RETIRED_JOB_SCHEMA);
    if (current !== null && current < FIRST_MIGRATABLE_JOB_SCHEMA) {
      if (retired !== null)
        throw new Error(
          `both "${JOB_SCHEMA}" and "${RETIRED_JOB_SCHEMA}" hold a pg-boss 10 schema: keep one`,
        );
      await client.query(`ALTER SCHEMA ${JOB_SCHEMA} RENAME TO ${RETIRED_JOB_SCHEMA}`);
    } else if (retired === null) {
      return { fromVersion: null, queues: 0, jobs: 0 };
    }
    const fromVersion =
      current !== null && current < FIRST_MIGRATABLE_JOB_SCHEMA ? current : retired;
    const moved = await copyIntoNewSchema(client, databaseUrl);
    await client.query(`DROP SCHEMA ${RETIRED_JOB_SCHEMA} CASCADE`);
    return { fromVersion, ...moved };
  } finally {
    await client.end();
  }
}

async function copyIntoNewSchema(
  client: Client,
  databaseUrl: string,
): Promise<{ queues: number; jobs: number }> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    max: 2,
    application_name: 'sightline-jobs-upgrade',
    supervise: false,
    schedule: false,
    openTelemetry: { enabled: false },
  });
  await boss.start();
  try {
    const queues = (
      await client.query<V10Queue>(
        `SELECT name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds,
                retention_minutes, dead_letter
           FROM ${RETIRED_JOB_SCHEMA}.queue
          WHERE name NOT LIKE $1
          ORDER BY name`,
        // pg-boss' own (its cron's), which pg-boss 12 makes itself.
        ['\\_\\_pgboss\\_\\_%'],
      )
    ).rows;
    for (const queue of queues) {
      await boss.createQueue(
        queue.name,
        defined({
          policy: queue.policy ?? undefined,
          retryLimit: queue.retry_limit ?? undefined,
          retryDelay: queue.retry_delay ?? undefined,
          retryBackoff: queue.retry_backoff ?? undefined,
          expireInSeconds: queue.expire_seconds ?? undefined,
          retentionSeconds:
            queue.retention_minutes === null ? undefined : queue.retention_minutes * 60,
        }),
      );
    }
    // Once every queue exists: a dead letter queue is one of them.
    for (const queue of queues) {
      if (queue.dead_letter !== null)
        await boss.updateQueue(queue.name, { deadLetter: queue.dead_letter });
    }
    let jobs = 0;
    for (const queue of queues) {
      const { rows } = await client.query<V10Job>(
        `SELECT id, name, priority, data, state,
                GREATEST(retry_limit - retry_count, 0) AS retries_left,
                retry_delay, retry_backoff, start_after, singleton_key,
                GREATEST(EXTRACT(EPOCH FROM expire_in), 1)::int AS expire_seconds,
                GREATEST(CEIL(EXTRACT(EPOCH FROM keep_until - now())), 1)::int AS retention_seconds,
                dead_letter
           FROM ${RETIRED_JOB_SCHEMA}.job
          WHERE name = $1 AND state IN ('created', 'retry', 'active')
          ORDER BY created_on`,
        [queue.name],
      );
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH).map((job): JobInsert =>
          defined({
            id: job.id,
            data: job.data ?? undefined,
            priority: job.priority,
            retryLimit: job.retries_left,
            retryDelay: job.retry_delay,
            retryBackoff: job.retry_backoff,
            // A job that was running starts again now; the others keep their time.
            startAfter: job.state === 'active' ? undefined : job.start_after,
            singletonKey: job.singleton_key ?? undefined,
            expireInSeconds: job.expire_seconds,
            retentionSeconds: job.retention_seconds,
            deadLetter: job.dead_letter ?? undefined,
          }),
        );
        // Ids already copied by an interrupted run are skipped (ON CONFLICT DO NOTHING).
        await boss.insert(queue.name, batch);
      }
      jobs += rows.length;
    }
    return { queues: queues.length, jobs };
  } finally {
    await boss.stop({ graceful: false });
  }
}
