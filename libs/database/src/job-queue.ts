import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';

/** The schema pg-boss keeps its tables in (it migrates them itself on start). */
export const JOB_SCHEMA = 'pgboss';

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

  constructor(options: JobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: JOB_SCHEMA,
      max: options.poolSize ?? 2,
      application_name: 'sightline-jobs',
    });
    this.boss.on('error', (error: Error) => this.logger.warn(`Job queue: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }

  /**
   * Creates the queue once per process (idempotent in pg-boss too). Its consumer passes
   * `options` (retries, expiry), which are applied even when the queue exists: a sender
   * (an api with WORKERS=off) may have created it first, without them, or an earlier
   * version with others.
   */
  async queue(name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
    const configure = Object.keys(options).length > 0;
    if (this.created.has(name) && !(configure && !this.configured.has(name))) return;
    await this.boss.createQueue(name, { name, ...options });
    if (configure) {
      await this.boss.updateQueue(name, { name, ...options });
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
    options: PgBoss.SendOptions = {},
  ): Promise<string | null> {
    await this.queue(name);
    return this.boss.send(name, data, {
      ...options,
      db: {
        executeSql: async (text, values) => ({
          rows: await manager.query<unknown[]>(text, values),
        }),
      },
    });
  }
}
