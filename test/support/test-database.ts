import { buildDataSourceOptions } from '@app/database';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testConfig } from './test-config';

export interface TestDatabase {
  /** Connection URL of this test file's own database. */
  url: string;
  /** Drops the database (connections are terminated). */
  drop(): Promise<void>;
}

// Serialises template creation and cloning across parallel jest workers.
const TEMPLATE_LOCK = 7_431_001;

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined)
    throw new Error('TEST_DATABASE_URL is not set; run tests through jest (global setup sets it)');
  return url;
}

function runId(): string {
  return process.env.SIGHTLINE_TEST_RUN ?? `${process.ppid}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function migrateTemplate(name: string): Promise<void> {
  const config = testConfig({ DATABASE_URL: databaseUrl(name) });
  const dataSource = new DataSource(
    buildDataSourceOptions(config.database, databaseUrl(name), 'sightline-test'),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A database of its own for one test file: cloned (`CREATE DATABASE … TEMPLATE`)
 * from a template migrated once per test run, so files run in parallel without
 * sharing state and without paying for migrations each time.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = `sightline_t_${runId()}_template`;
  const name = `sightline_t_${runId()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(template)}`);
        await migrateTemplate(template);
      }
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return {
    url: databaseUrl(name),
    drop: () =>
      withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
