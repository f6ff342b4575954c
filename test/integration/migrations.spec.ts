import { buildDataSourceOptions, MIGRATIONS_TABLE } from '@app/database';
import { MIGRATIONS } from '@app/migrations';
import { DataSource } from 'typeorm';
import { testConfig } from '../support/test-config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Tables, columns, indexes and constraints outside PostgreSQL's own schemas. */
async function schemaOf(dataSource: DataSource): Promise<string[]> {
  const own = `NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;
  const rows = await dataSource.query<Array<{ line: string }>>(
    `SELECT format('column %s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type,
                   is_nullable, coalesce(column_default, '')) AS line
       FROM information_schema.columns WHERE table_schema ${own}
     UNION ALL
     SELECT format('index %s.%s %s', schemaname, indexname, indexdef)
       FROM pg_indexes WHERE schemaname ${own}
     UNION ALL
     SELECT format('constraint %s.%s %s', n.nspname, c.conname, pg_get_constraintdef(c.oid))
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname ${own}
     UNION ALL
     SELECT format('type %s.%s', n.nspname, t.typname)
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname ${own} AND t.typtype = 'e'`,
  );
  return rows.map((row) => row.line).sort();
}

/** Every migration's down() runs once, and undoes exactly what its up() did. */
describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    // A clone of the template, which the migrations built (up) for this run.
    database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url });
    dataSource = new DataSource(
      buildDataSourceOptions(config.database, database.url, 'sightline-test-migrations'),
    );
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('go down to an empty schema one by one, and up again to the same schema', async () => {
    const migrated = await schemaOf(dataSource);
    expect(migrated.length).toBeGreaterThan(0);
    const applied = async () =>
      Number(
        (
          await dataSource.query<Array<{ n: string }>>(
            `SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`,
          )
        )[0]?.n,
      );
    expect(await applied()).toBe(MIGRATIONS.length);

    for (let left = MIGRATIONS.length; left > 0; left--) {
      await dataSource.undoLastMigration();
      expect(await applied()).toBe(left - 1);
    }
    // Nothing a migration made is left: only the table that records them.
    const tables = await dataSource.query<Array<{ name: string }>>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((table) => table.name)).toEqual([`public.${MIGRATIONS_TABLE}`]);

    await dataSource.runMigrations();
    expect(await applied()).toBe(MIGRATIONS.length);
    expect(await schemaOf(dataSource)).toEqual(migrated);
  });
});
