import { loadConfig } from '@app/config';
import { text } from 'node:stream/consumers';
import type { Readable, Transform } from 'node:stream';
import type { DatasetEntity } from '../entities/dataset.entity';
import {
  type DatasetRowsRepository,
  FIRST_ROW,
  type RowPlace,
} from '../repositories/dataset-rows.repository';
import { datasetEntity, datasetsServiceOver, ORG_A, ORG_B } from '../testing/fake-datasets';
import { DatasetRowsService } from './dataset-rows.service';

const BUDGET = 16 * 1024;

interface StoredRow {
  at: string;
  values: unknown[];
  /** Bytes of the `city` cell as stored. */
  textBytes: number;
}

const offsetOf = (place: string) => Number(place.slice(place.indexOf(',') + 1, -1));

/** DatasetRowsRepository over rows in memory (one text column, `city`), recording its calls. */
class FakeRowsRepository {
  readonly calls: Array<{ method: string; organizationId: string; cutBytes?: number }> = [];

  constructor(private readonly rows: StoredRow[]) {}

  placesAfter(
    organizationId: string,
    _dataset: DatasetEntity,
    after: string,
    count: number,
  ): Promise<RowPlace[]> {
    this.calls.push({ method: 'placesAfter', organizationId });
    return Promise.resolve(
      this.rows
        .filter((row) => offsetOf(row.at) > offsetOf(after))
        .slice(0, count)
        .map(({ at, textBytes }) => ({ at, textBytes })),
    );
  }

  valuesBetween(
    organizationId: string,
    _dataset: DatasetEntity,
    first: string,
    last: string,
    cutBytes?: number,
  ): Promise<unknown[][]> {
    this.calls.push({ method: 'valuesBetween', organizationId, cutBytes });
    const between = this.rows.filter(
      (row) => offsetOf(row.at) >= offsetOf(first) && offsetOf(row.at) <= offsetOf(last),
    );
    return Promise.resolve(between.map((row) => row.values));
  }

  textCellBytes(organizationId: string, _dataset: DatasetEntity, at: string) {
    this.calls.push({ method: 'textCellBytes', organizationId });
    const row = this.rows.find((candidate) => candidate.at === at);
    return Promise.resolve(new Map([['city', row?.textBytes ?? 0]]));
  }

  stream(organizationId: string, _dataset: DatasetEntity, encode: Transform): Promise<Readable> {
    this.calls.push({ method: 'stream', organizationId });
    for (const row of this.rows) encode.write(row.values);
    encode.end();
    return Promise.resolve(encode);
  }
}

function rowsOf(...cities: Array<[string | null, number | null, number?]>): StoredRow[] {
  return cities.map(([city, n, textBytes], i) => ({
    at: `(0,${i + 1})`,
    values: [city, n === null ? null : String(n)],
    textBytes: textBytes ?? Buffer.byteLength(city ?? ''),
  }));
}

describe('DatasetRowsService', () => {
  const dataset = datasetEntity(ORG_A, { name: 'sales 2026/Q1' });
  const foreign = datasetEntity(ORG_B);
  let rows: FakeRowsRepository;

  function serviceOver(stored: StoredRow[]): DatasetRowsService {
    rows = new FakeRowsRepository(stored);
    const datasets = datasetsServiceOver([dataset, foreign]);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATASET_ROWS_PAGE_MAX_BYTES: String(BUDGET),
    });
    return new DatasetRowsService(datasets, rows as unknown as DatasetRowsRepository, config);
  }

  describe('page', () => {
    it('pages rows in file order with a cursor that goes on after the last row', async () => {
      const service = serviceOver(rowsOf(['Oslo', 1], ['Lima', 2], [null, null]));
      const first = await service.page(ORG_A, dataset.id, 2, undefined);
      expect(first.data).toEqual([
        { city: 'Oslo', n: 1 },
        { city: 'Lima', n: 2 },
      ]);
      expect(first.truncatedCells).toEqual([]);
      expect(first.nextCursor).toBe(Buffer.from('(0,2)').toString('base64url'));
      const second = await service.page(ORG_A, dataset.id, 2, first.nextCursor ?? undefined);
      expect(second).toEqual({
        data: [{ city: null, n: null }],
        nextCursor: null,
        truncatedCells: [],
      });
      expect(new Set(rows.calls.map((call) => call.organizationId))).toEqual(new Set([ORG_A]));
    });

    it('answers an empty page, without a cursor, past the last row', async () => {
      const service = serviceOver(rowsOf(['Oslo', 1]));
      const after = Buffer.from('(0,1)').toString('base64url');
      await expect(service.page(ORG_A, dataset.id, 10, after)).resolves.toEqual({
        data: [],
        nextCursor: null,
        truncatedCells: [],
      });
    });

    it("answers 404 for another organization's dataset and reads no rows", async () => {
      const service = serviceOver(rowsOf(['Oslo', 1]));
      await expect(service.page(ORG_A, foreign.id, 10, undefined)).rejects.toMatchObject({
        status: 404,
        slug: 'not-found',
      });
      expect(rows.calls).toEqual([]);
    });

    it.each([
      ['not base64 of a place', 'garbage'],
      ['a block past 2^32', Buffer.from('(4294967296,1)').toString('base64url')],
      ['an offset past 2^16', Buffer.from('(0,65536)').toString('base64url')],
    ])('refuses a cursor that is %s with 400 invalid-cursor', async (_, cursor) => {
      const service = serviceOver(rowsOf(['Oslo', 1]));
      await expect(service.page(ORG_A, dataset.id, 10, cursor)).rejects.toMatchObject({
        status: 400,
        slug: 'invalid-cursor',
      });
      expect(rows.calls).toEqual([]);
    });

    it('ends a page early at the byte budget, and goes on from there', async () => {
      const wide = 7000;
      const service = serviceOver(rowsOf(['a', 1, wide], ['b', 2, wide], ['c', 3, wide]));
      const first = await service.page(ORG_A, dataset.id, 10, undefined);
      expect(first.data.map((row) => row.n)).toEqual([1, 2]);
      const second = await service.page(ORG_A, dataset.id, 10, first.nextCursor ?? undefined);
      expect(second.data.map((row) => row.n)).toEqual([3]);
      expect(second.nextCursor).toBeNull();
    });

    it('sends a row over the whole budget alone, its text cells cut and named', async () => {
      const service = serviceOver(rowsOf(['huge', 1, 20_000], ['next', 2]));
      const page = await service.page(ORG_A, dataset.id, 10, undefined);
      expect(page.data).toHaveLength(1);
      expect(page.truncatedCells).toEqual([{ row: 0, column: 'city', bytes: 20_000 }]);
      expect(page.nextCursor).toBe(Buffer.from('(0,1)').toString('base64url'));
      // The cut is the budget less the row's fixed share, for its one text column.
      const cut = rows.calls.find((call) => call.method === 'valuesBetween')?.cutBytes;
      expect(cut).toBeGreaterThan(BUDGET - 100);
      expect(cut).toBeLessThan(BUDGET);
    });
  });

  describe('export', () => {
    const stored = rowsOf(['Oslo', 1], ['=cmd', null]);

    it('streams CSV with a header row, named after the dataset', async () => {
      const { filename, stream } = await serviceOver(stored).export(ORG_A, dataset.id, 'csv');
      expect(filename).toBe('sales_2026_Q1.csv');
      // A cell a spreadsheet would run as a formula is neutralised.
      expect(await text(stream)).toBe("city,n\nOslo,1\n'=cmd,\n");
      expect(rows.calls).toEqual([{ method: 'stream', organizationId: ORG_A }]);
    });

    it('streams JSON as an array of row objects, and [] for no rows', async () => {
      const json = await serviceOver(stored).export(ORG_A, dataset.id, 'json');
      expect(JSON.parse(await text(json.stream))).toEqual([
        { city: 'Oslo', n: 1 },
        { city: '=cmd', n: null },
      ]);
      const empty = await serviceOver([]).export(ORG_A, dataset.id, 'json');
      expect(await text(empty.stream)).toBe('[]\n');
    });

    it("answers 404 for another organization's dataset and opens no stream", async () => {
      const service = serviceOver(stored);
      await expect(service.export(ORG_A, foreign.id, 'csv')).rejects.toMatchObject({
        status: 404,
      });
      expect(rows.calls).toEqual([]);
    });
  });

  it('starts from the first row without a cursor', async () => {
    const service = serviceOver(rowsOf(['Oslo', 1]));
    const spy = jest.spyOn(rows, 'placesAfter');
    await service.page(ORG_A, dataset.id, 5, undefined);
    expect(spy).toHaveBeenCalledWith(ORG_A, dataset, FIRST_ROW, 6);
  });
});
