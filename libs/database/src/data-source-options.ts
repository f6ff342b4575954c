import type { DatabaseConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';

export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * TypeORM options for PostgreSQL, shared by the Nest module, the migration
 * scripts and the tests. `synchronize` is never on: the schema changes only
 * through the migrations listed in `migrations/index.ts`.
 */
export function buildDataSourceOptions(
  database: DatabaseConfig,
  connectionUrl: string,
  applicationName: string,
): DataSourceOptions {
  const ssl =
    database.ssl.mode === 'disable'
      ? false
      : { rejectUnauthorized: database.ssl.mode === 'verify-full', ca: database.ssl.ca };
  return {
    type: 'postgres',
    url: connectionUrl,
    ssl,
    synchronize: false,
    // gen_random_uuid() is core PostgreSQL (13+): no extension to install, which managed databases may forbid.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    extra: {
      max: database.poolSize,
      connectionTimeoutMillis: database.connectTimeoutMs,
      statement_timeout: database.statementTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: applicationName,
    },
  };
}
