import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { buildDataSourceOptions } from '@app/database';
import { type DatasetColumn, DATASET_ROWS_SCHEMA, quoteIdentifier } from '@app/datasets';
import {
  compileQuery,
  type QueryResult,
  QuestionQueryRepository,
  type StructuredQuery,
} from '@app/questions';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

/** One fixture row, as the test computes answers from it (not from SQL). */
export interface FixtureRow {
  id: number;
  day: string | null;
  at: string | null;
  n: number | null;
  x: number | null;
  label: string | null;
  flag: boolean | null;
  select: number | null;
  quoted: string | null;
  spaced: number | null;
}

export const INJECTION = "Robert'); DROP TABLE students;--";

/** Nulls in every column, text with quotes, `%` and `_`, days that straddle months and years. */
export const FIXTURE: readonly FixtureRow[] = [
  row(1, '2014-01-01', '2014-01-01T00:30:00Z', 1, 1.5, 'Rain', true, 10, 'q"1', 1),
  row(2, '2014-01-02', '2014-01-02T23:59:59.5Z', 2, 2.5, 'rain 50%', false, 20, "it's", 2),
  row(3, '2014-01-06', '2014-01-06T12:00:00Z', 3, null, 'sun_ny', true, 30, '%', null),
  row(4, '2014-02-01', '2014-03-31T23:00:00Z', 4, 4, 'Sun', null, 40, '_', 4),
  row(5, '2014-03-31', '2014-04-01T00:00:00Z', null, 5.5, null, true, 50, null, 5),
  row(6, '2014-04-15', null, 6, -1, 'fog', false, 60, 'x', 6),
  row(7, null, '2015-06-15T18:45:00Z', 7, 10, INJECTION, true, 70, 'y', 7),
  row(8, '2015-12-31', '2015-12-31T23:00:00Z', 8, 0.25, 'rain', false, null, 'z', 8),
];

function row(...values: [number, ...unknown[]]): FixtureRow {
  const [id, day, at, n, x, label, flag, select, quoted, spaced] = values;
  return { id, day, at, n, x, label, flag, select, quoted, spaced } as FixtureRow;
}

/** The dataset's columns: display names, odd identifiers (a key word, a quote, spaces). */
export const FIXTURE_COLUMNS: DatasetColumn[] = [
  { name: 'id', column: 'id', type: 'integer' },
  { name: 'day', column: 'day', type: 'date' },
  { name: 'at', column: 'at', type: 'datetime' },
  { name: 'n', column: 'n', type: 'integer' },
  { name: 'x', column: 'x', type: 'number' },
  { name: 'label', column: 'label', type: 'string' },
  { name: 'flag', column: 'flag', type: 'boolean' },
  { name: 'select', column: 'select', type: 'integer' },
  { name: 'a"b', column: 'a"b', type: 'string' },
  { name: 'with spaces', column: 'with spaces', type: 'number' },
];

const SQL_TYPE = {
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  string: 'text',
} as const;

export interface QuestionDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  organizationId: OrganizationId;
  otherOrganizationId: OrganizationId;
  dataset: { id: string; tableName: string; columns: DatasetColumn[] };
  repository: QuestionQueryRepository;
  /** Compiles `query` over the fixture and runs it as the fixture's organization. */
  run(query: StructuredQuery, rowCap?: number): Promise<QueryResult>;
  close(): Promise<void>;
}

/** A database of its own with two organizations and the fixture as the first one's dataset. */
export async function questionDatabase(): Promise<QuestionDatabase> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url });
  const dataSource = new DataSource(
    buildDataSourceOptions(config.database, database.url, 'sightline-test'),
  );
  await dataSource.initialize();
  const organization = async (name: string) => {
    const [created] = await dataSource.query<Array<{ id: string }>>(
      'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
      [name],
    );
    return organizationIdOf(created?.id ?? '');
  };
  const organizationId = await organization('asks');
  const otherOrganizationId = await organization('other');
  const id = randomUUID();
  const tableName = `d_${id.replace(/-/g, '')}`;
  const table = `${quoteIdentifier(DATASET_ROWS_SCHEMA)}.${quoteIdentifier(tableName)}`;
  const definitions = FIXTURE_COLUMNS.map(
    ({ column, type }) => `${quoteIdentifier(column)} ${SQL_TYPE[type]}`,
  );
  await dataSource.query(`CREATE TABLE ${table} (${definitions.join(', ')})`);
  const names = FIXTURE_COLUMNS.map(({ column }) => quoteIdentifier(column)).join(', ');
  for (const fixture of FIXTURE) {
    const values = Object.values(fixture);
    const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
    await dataSource.query(`INSERT INTO ${table} (${names}) VALUES (${placeholders})`, values);
  }
  await dataSource.query(
    `INSERT INTO datasets (id, organization_id, name, status, table_name, row_count, byte_size,
       delimiter, has_header, columns, profile, type_changes, created_by)
     VALUES ($1, $2, 'fixture', 'ready', $3, $4, 0, ',', true, $5, '[]', '[]', 'test')`,
    [id, organizationId, tableName, FIXTURE.length, JSON.stringify(FIXTURE_COLUMNS)],
  );
  const dataset = { id, tableName, columns: FIXTURE_COLUMNS };
  const repository = new QuestionQueryRepository(dataSource);
  return {
    database,
    dataSource,
    organizationId,
    otherOrganizationId,
    dataset,
    repository,
    run: (query, rowCap) =>
      repository.run(organizationId, dataset, compileQuery(query, dataset, rowCap), {
        timeoutMs: 10_000,
      }),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
