import { type OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '@app/datasets';
import { Transform } from 'node:stream';
import { DatasetChartsRepository } from '../../libs/datasets/src/repositories/dataset-charts.repository';
import {
  DatasetRowsRepository,
  FIRST_ROW,
  type RowPlace,
} from '../../libs/datasets/src/repositories/dataset-rows.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const FOREIGN = 'A dataset of another organization reached its rows';

describe('DatasetRowsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let rows: DatasetRowsRepository;
  let org: OrganizationId;
  let other: OrganizationId;
  /** city (text), n (integer), at (datetime): 3 rows, a null in each column. */
  let small: DatasetEntity;

  beforeAll(async () => {
    db = await repositoryDatabase();
    rows = new DatasetRowsRepository(db.dataSource, db.connections);
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
    small = await db.factory.newDataset(
      org,
      'city,n,at\nOslo,1,2026-01-01T10:00:00Z\nSão Paulo,,2026-01-02T10:00:00Z\n,3,\n',
    );
  });
  afterAll(async () => {
    await db.close();
  });

  /** Every place of the dataset, `count` at a time, from the first row. */
  async function allPlaces(dataset: DatasetEntity, count: number): Promise<RowPlace[]> {
    const places: RowPlace[] = [];
    for (;;) {
      const page = await rows.placesAfter(org, dataset, places.at(-1)?.at ?? FIRST_ROW, count);
      places.push(...page);
      if (page.length < count) return places;
    }
  }

  it('gives the places of rows in file order, with the bytes of their text cells', async () => {
    const places = await rows.placesAfter(org, small, FIRST_ROW, 10);
    expect(places.map((place) => place.textBytes)).toEqual([4, Buffer.byteLength('São Paulo'), 0]);
    const rest = await rows.placesAfter(org, small, places[0]?.at ?? '', 10);
    expect(rest).toEqual(places.slice(1));
    await expect(rows.placesAfter(org, small, places[2]?.at ?? '', 10)).resolves.toEqual([]);
  });

  it('pages a table of many blocks and uneven rows: every row once, in file order', async () => {
    const lines = ['i,text'];
    for (let i = 1; i <= 3000; i++) lines.push(`${i},${'x'.repeat(i % 7 === 0 ? 400 : 5)}`);
    const big = await db.factory.newDataset(org, `${lines.join('\n')}\n`);
    const places = await allPlaces(big, 250);
    expect(places).toHaveLength(3000);
    const first = places[0]?.at ?? '';
    const last = places.at(-1)?.at ?? '';
    const values = await rows.valuesBetween(org, big, first, last);
    expect(values.map((row) => row[0])).toEqual(
      Array.from({ length: 3000 }, (_, i) => String(i + 1)),
    );
  });

  // Integers come as text (int8 may pass 2^53), times as UTC text to the microsecond.
  it('reads the values between two places, as stored, and cuts long text when asked', async () => {
    const places = await rows.placesAfter(org, small, FIRST_ROW, 3);
    const [first, second, third] = places.map((place) => place.at);
    const values = await rows.valuesBetween(org, small, first ?? '', third ?? '');
    expect(values).toEqual([
      ['Oslo', '1', '2026-01-01T10:00:00.000000Z'],
      ['São Paulo', null, '2026-01-02T10:00:00.000000Z'],
      [null, '3', null],
    ]);
    // Cells over 8 bytes come as their first 8 / 4 = 2 characters.
    const cut = await rows.valuesBetween(org, small, second ?? '', second ?? '', 8);
    expect(cut).toEqual([['Sã', null, '2026-01-02T10:00:00.000000Z']]);
  });

  it('counts the bytes of each text cell of one row', async () => {
    const [, second] = await rows.placesAfter(org, small, FIRST_ROW, 2);
    await expect(rows.textCellBytes(org, small, second?.at ?? '')).resolves.toEqual(
      new Map([['city', Buffer.byteLength('São Paulo')]]),
    );
  });

  it('streams every row in file order through the encoder, and gives the slot back', async () => {
    const encode = new Transform({
      writableObjectMode: true,
      transform(values: unknown[], _encoding, callback) {
        callback(null, `${JSON.stringify(values)}\n`);
      },
    });
    const stream = await rows.stream(org, small, encode);
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown[]),
    ).toEqual([
      ['Oslo', '1', '2026-01-01T10:00:00.000000Z'],
      ['São Paulo', null, '2026-01-02T10:00:00.000000Z'],
      [null, '3', null],
    ]);
    expect(db.connections.inUse).toBe(0);
  });

  it('refuses every read of a dataset for another organization, before any statement', async () => {
    const noop = new Transform({ writableObjectMode: true });
    await expect(rows.placesAfter(other, small, FIRST_ROW, 10)).rejects.toThrow(FOREIGN);
    await expect(rows.valuesBetween(other, small, '(0,1)', '(0,3)')).rejects.toThrow(FOREIGN);
    await expect(rows.textCellBytes(other, small, '(0,1)')).rejects.toThrow(FOREIGN);
    expect(() => rows.stream(other, small, noop)).toThrow(FOREIGN);
    expect(db.connections.inUse).toBe(0);
  });
});

describe('DatasetChartsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let charts: DatasetChartsRepository;
  let org: OrganizationId;
  let dataset: DatasetEntity;

  beforeAll(async () => {
    db = await repositoryDatabase();
    charts = new DatasetChartsRepository(db.dataSource);
    org = await db.factory.newOrganization();
    dataset = await db.factory.newDataset(
      org,
      [
        'kind,x,day,empty',
        'b,0,2026-01-01,',
        'a,10,2026-01-11,',
        'B,5,2026-01-06,',
        'b,10,2026-01-11,',
        ',,,',
        'a,,2026-01-01,',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await db.close();
  });

  const column = (name: string) => {
    const found = dataset.columns.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no column ${name}`);
    return found;
  };

  it('counts the most frequent values, ties in byte order, nulls left out', async () => {
    await expect(charts.topValues(org, dataset, column('kind'), 10)).resolves.toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
      { value: 'B', count: 1 },
    ]);
    await expect(charts.topValues(org, dataset, column('kind'), 1)).resolves.toEqual([
      { value: 'a', count: 2 },
    ]);
  });

  it('buckets numbers and dates between their bounds, the maximum in the last bucket', async () => {
    const numbers = await charts.buckets(org, dataset, column('x'), 2);
    expect(numbers).toEqual({
      low: 0,
      high: 10,
      counts: new Map([
        [0, 1],
        [1, 3],
      ]),
    });
    const days = await charts.buckets(org, dataset, column('day'), 2);
    expect(days).toEqual({
      low: Date.UTC(2026, 0, 1),
      high: Date.UTC(2026, 0, 11),
      counts: new Map([
        [0, 2],
        [1, 3],
      ]),
    });
  });

  it('answers null for a column without a value', async () => {
    await expect(charts.buckets(org, dataset, column('empty'), 5)).resolves.toBeNull();
  });

  it('refuses to count a dataset for another organization', async () => {
    const other = await db.factory.newOrganization();
    await expect(charts.topValues(other, dataset, column('kind'), 5)).rejects.toThrow(FOREIGN);
    await expect(charts.buckets(other, dataset, column('x'), 5)).rejects.toThrow(FOREIGN);
  });
});
