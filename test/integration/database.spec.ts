import { MIGRATIONS_TABLE } from '@app/database';
import { MIGRATIONS } from '@app/migrations';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { testConfig } from '../support/test-config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('test databases', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([first.drop(), second.drop()]);
  });

  it('are cloned from a template that has every migration applied', async () => {
    const applied = await query<{ name: string }>(
      first.url,
      `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`,
    );
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('are isolated from each other', async () => {
    await query(first.url, 'CREATE TABLE only_in_first (id int)');
    const inSecond = await query<{ exists: boolean }>(
      second.url,
      "SELECT to_regclass('public.only_in_first') IS NOT NULL AS exists",
    );
    expect(inSecond).toEqual([{ exists: false }]);
  });
});

describe('the database module', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('connects with the configured statement timeout and application name, never synchronising', async () => {
    const config = testConfig({
      DATABASE_URL: database.url,
      DATABASE_STATEMENT_TIMEOUT_MS: '300',
      DATABASE_POOL_SIZE: '3',
    });
    const app = await NestFactory.createApplicationContext(
      ApiModule.forRoot(config, { databaseUrl: database.url }),
      {
        logger: false,
      },
    );
    try {
      const dataSource = app.get(DataSource);
      expect(dataSource.options.synchronize).toBe(false);
      expect(dataSource.options.migrationsRun).toBe(true);
      const [timeout] =
        await dataSource.query<Array<{ statement_timeout: string }>>('SHOW statement_timeout');
      expect(timeout?.statement_timeout).toBe('300ms');
      const [name] =
        await dataSource.query<Array<{ application_name: string }>>('SHOW application_name');
      expect(name?.application_name).toBe('sightline-api');
      await expect(dataSource.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await app.close();
    }
  });

  it('runs pending migrations on start (a fresh, empty database gets the migrations table)', async () => {
    const empty = `${database.url.replace(/\/[^/]+$/, '')}/${'sightline_t_' + (process.env.SIGHTLINE_TEST_RUN ?? '0') + '_empty'}`;
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE ${admin.escapeIdentifier(new URL(empty).pathname.slice(1))}`,
    );
    await admin.end();
    const config = testConfig({ DATABASE_URL: empty });
    const app = await NestFactory.createApplicationContext(
      ApiModule.forRoot(config, { databaseUrl: empty }),
      { logger: false },
    );
    await app.close();
    const tables = await query<{ exists: boolean }>(
      empty,
      `SELECT to_regclass('public.${MIGRATIONS_TABLE}') IS NOT NULL AS exists`,
    );
    expect(tables).toEqual([{ exists: true }]);
  });
});
