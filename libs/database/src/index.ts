export { cancelledOnAbort } from './cancel-on-abort';
export { CreatedAtColumn } from './columns';
export { buildDataSourceOptions, MIGRATIONS_TABLE } from './data-source-options';
export { DatabaseModule, type DatabaseModuleOptions } from './database.module';
export { DatabaseNotifications, type NotificationHandler } from './database-notifications';
export {
  type BootLogger,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
  startEmbeddedServer,
  stopEmbeddedServer,
} from './embedded-postgres';
export { keysetAfterSql, keysetTimeSql, newestFirstPage } from './keyset';
export { LONG_CONNECTION_RETRY_AFTER_SECONDS, LongConnections } from './long-connections';
export { isTransientDatabaseError } from './transient-errors';
export type { UnitOfWork } from './unit-of-work';
export { JOB_SCHEMA, JobQueue, type JobQueueOptions } from './job-queue';
export {
  JobQueueSchemaError,
  RETIRED_JOB_SCHEMA,
  upgradeJobQueue,
  type JobQueueUpgrade,
} from './job-queue-upgrade';
export { JobQueueModule } from './job-queue.module';
