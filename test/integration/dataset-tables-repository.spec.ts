import { DATASET_ROWS_SCHEMA, datasetTable } from '@app/datasets';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { DatasetTableRepository } from '../../libs/datasets/src/repositories/dataset-table.repository';
import { DatasetTablesRepository } from '../../libs/datasets/src/repositories/dataset-tables.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const csv = (text: string) => Readable.from([Buffer.from(text)]);

/** Rows of one text column in PostgreSQL's binary COPY format, written out by hand. */
function binaryTextRows(values: Array<string | null>): Buffer {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const rows = values.map((value) => {
    const field = value === null ? Buffer.alloc(0) : Buffer.from(value);
    const row = Buffer.alloc(6);
    row.writeInt16BE(1, 0);
    row.writeInt32BE(value === null ? -1 : field.length, 2);
    return Buffer.concat([row, field]);
  });
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return Buffer.concat([header, ...rows, trailer]);
}

describe('DatasetTablesRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let tables: DatasetTablesRepository;
  let made = 0;

  beforeAll(async () => {
    db = await repositoryDatabase();
    tables = new DatasetTablesRepository(db.dataSource, db.connections);
  });
  afterAll(async () => {
    await db.close();
  });

  const newTable = () => `loaded_${++made}`;
  const stored = async (tableName: string) => {
    const found = await db.dataSource.query<unknown[]>(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [DATASET_ROWS_SCHEMA, tableName],
    );
    return found.length === 1;
  };

  it('commits the upload transaction with its table, and gives the long slot back', async () => {
    const tableName = newTable();
    const loaded = await tables.inUploadTransaction((work) => {
      expect(db.connections.inUse).toBe(1);
      return tables.loadCsv(work, csv('a,b\n1,x\n2,\n'), {
        table: datasetTable({ tableName }),
        header: true,
      });
    });
    expect(loaded).toMatchObject({ rowCount: 2, delimiter: ',' });
    expect(loaded.columns.map((column) => column.type)).toEqual(['integer', 'string']);
    expect(await stored(tableName)).toBe(true);
    expect(db.connections.inUse).toBe(0);
  });

  it('rolls the upload transaction back when its work throws: no table is left', async () => {
    const tableName = newTable();
    await expect(
      tables.inUploadTransaction(async (work) => {
        await tables.loadCsv(work, csv('a\n1\n'), { table: datasetTable({ tableName }) });
        throw new Error('the dataset row failed');
      }),
    ).rejects.toThrow('the dataset row failed');
    expect(await stored(tableName)).toBe(false);
    expect(db.connections.inUse).toBe(0);
  });

  it('always rolls a rehearsal back, answering what its work answered', async () => {
    const tableName = newTable();
    const rows = await tables.inRolledBackTransaction(async (work) => {
      const loaded = await tables.loadCsv(work, csv('a\n1\n2\n3\n'), {
        table: datasetTable({ tableName }),
      });
      return loaded.rowCount;
    });
    expect(rows).toBe(3);
    expect(await stored(tableName)).toBe(false);
  });

  it('refuses to load outside a transaction', async () => {
    await expect(
      tables.loadCsv(db.dataSource.manager, csv('a\n1\n'), {
        table: datasetTable({ tableName: newTable() }),
      }),
    ).rejects.toThrow('loadCsv needs a unit of work inside a transaction');
  });

  it('loads with no statement timeout and in UTC, for that transaction only', async () => {
    const short = await repositoryDatabase({ DATABASE_STATEMENT_TIMEOUT_MS: '1000' });
    try {
      const local = new DatasetTablesRepository(short.dataSource, short.connections);
      const settings = await local.inRolledBackTransaction(async (work) => {
        await local.loadCsv(work, csv('a\n1\n'), {
          table: datasetTable({ tableName: newTable() }),
        });
        return work.query<Array<{ timeout: string; zone: string }>>(
          "SELECT current_setting('statement_timeout') AS timeout, current_setting('TimeZone') AS zone",
        );
      });
      expect(settings).toEqual([{ timeout: '0', zone: 'UTC' }]);
      const after = await short.dataSource.query<Array<{ timeout: string }>>(
        "SELECT current_setting('statement_timeout') AS timeout",
      );
      expect(after).toEqual([{ timeout: '1s' }]);
    } finally {
      await short.close();
    }
  });
});

describe('DatasetTableRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let client: PoolClient;
  let release: () => void;
  let table: DatasetTableRepository;

  beforeAll(async () => {
    db = await repositoryDatabase();
    [client, release] = (await db.dataSource.driver.obtainMasterConnection()) as [
      PoolClient,
      () => void,
    ];
  });
  beforeEach(async () => {
    await client.query('BEGIN');
    table = new DatasetTableRepository(client, datasetTable({ tableName: 'table_under_test' }));
  });
  afterEach(async () => {
    await client.query('ROLLBACK');
  });
  afterAll(async () => {
    release();
    await db.close();
  });

  const columnTypes = async () => {
    const found = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'table_under_test' ORDER BY ordinal_position`,
      [DATASET_ROWS_SCHEMA],
    );
    return found.rows.map((row) => `${row.column_name} ${row.data_type}`);
  };

  it('creates the table with the stored types of its columns', async () => {
    await table.create([
      { identifier: 'n', type: 'integer' },
      { identifier: 'with "quote"', type: 'string' },
    ]);
    expect(await columnTypes()).toEqual(['n bigint', 'with "quote" text']);
  });

  it('widens columns in place, keeping their values, and answers the widenings it made', async () => {
    await table.create([
      { identifier: 'n', type: 'integer' },
      { identifier: 's', type: 'string' },
    ]);
    await client.query(
      `INSERT INTO ${datasetTable({ tableName: 'table_under_test' })} VALUES (7, 'x')`,
    );
    const made = await table.widen([
      { identifier: 'n', from: 'integer', to: 'number' },
      { identifier: 's', from: 'string', to: 'string' },
    ]);
    expect(made).toEqual([{ identifier: 'n', from: 'integer', to: 'number' }]);
    expect(await columnTypes()).toEqual(['n double precision', 's text']);
    const rows = await client.query(
      `SELECT n FROM ${datasetTable({ tableName: 'table_under_test' })}`,
    );
    expect(rows.rows).toEqual([{ n: 7 }]);
  });

  it('copies binary rows, then counts and ranks the values of a text column', async () => {
    await table.create([{ identifier: 's', type: 'string' }]);
    const copy = table.copy(['s'], false, 64 * 1024);
    const done = once(copy, 'finish');
    copy.end(binaryTextRows(['b', 'a', 'b', null, 'B', 'a']));
    await done;
    await expect(table.textCounts('s')).resolves.toEqual({ count: 6, values: 5, distinct: 3 });
    await expect(table.topTextValues('s', 2)).resolves.toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
    ]);
  });
});
