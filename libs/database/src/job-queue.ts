import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBoss, type Queue, type SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { assertJobSchemaUsable, JOB_SCHEMA } from './job-queue-upgrade';

export { JOB_SCHEMA };

export interface JobQueueOptions {
  databaseUrl: string;
  /** Connections of the queue's own pool. */
  poolSize?: number;
}

/**
 * The PostgreSQL-backed job queue (pg-boss): a job sent in the transaction that writes
 * the row asking for it exists exactly when that row does, and a job whose worker died
 * is retried once it expires. Every process (api and worker) sends; consumers `work`.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  readonly boss: PgBoss;
  private readonly created = new Set<string>();
  private readonly configured = new Set<string>();

  constructor(private readonly options: JobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: JOB_SCHEMA,
      max: options.poolSize ?? 2,
      application_name: 'sightline-jobs',
      // Our own spans already follow a job (its data carries the trace context); pg-boss 12's
      // tracing would add its own spans and a second copy of the context to every job.
      openTelemetry: { enabled: false },
    });
    this.boss.on('error', (error: Error) => this.logger.warn(`Job queue: ${error.message}`));
  }

  /**
   * Starts pg-boss, which installs its schema or migrates it. A schema of pg-boss 10 it cannot
   * migrate: start-up fails with a `JobQueueSchemaError` saying what the operator must do.
   */
  async onModuleInit(): Promise<void> {
    await assertJobSchemaUsable(this.options.databaseUrl);
    await this.boss.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Resolves once the workers have finished (or the timeout passed) and the pool is closed.
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }

  /**
   * Creates the queue once per process (idempotent in pg-boss too). Its consumer passes
   * `options` (retries, expiry), which are applied even when the queue exists: a sender
   * (an api with WORKERS=off) may have created it first, without them, or an earlier
   * version with others.
   */
  async queue(name: string, options: Omit<Queue, 'name'> = {}): Promise<void> {
    const configure = Object.keys(options).length > 0;
    if (this.created.has(name) && !(configure && !this.configured.has(name))) return;
    await this.boss.createQueue(name, options);
    if (configure) {
      await this.boss.updateQueue(name, options);
      this.configured.add(name);
    }
    this.created.add(name);
  }

  /** The jobs of queue `name` whose data has `key` = `value`, with their states, newest first. */
  async jobsWith(
    name: string,
    key: string,
    value: string,
  ): Promise<Array<{ id: string; state: string }>> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(
        `SELECT id, state FROM ${JOB_SCHEMA}.job WHERE name = $1 AND data->>$2 = $3 ORDER BY created_on DESC`,
        [name, key, value],
      );
    return rows as Array<{ id: string; state: string }>;
  }

  /** Sends a job inside the caller's transaction: it commits or rolls back with it. */
  async sendInTransaction(
    manager: EntityManager,
    name: string,
    data: object,
    options: SendOptions = {},
  ): Promise<string | null> {
    await this.queue(name);
    return this.boss.send(name, data, {
      ...options,
      db: {
        executeSql: async (text: string, values?: unknown[]) => ({
          rows: await manager.query<unknown[]>(text, values),
        }),
      },
    });
  }
}
