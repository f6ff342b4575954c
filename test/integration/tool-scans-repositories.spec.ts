import { type OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '@app/datasets';
import type { DatasetScansRepository } from '../../libs/analysis/src/repositories/dataset-scans.repository';
import type { SeriesScansRepository } from '../../libs/analysis/src/repositories/series-scans.repository';
import {
  ToolQueryRepository,
  toolScans,
} from '../../libs/analysis/src/repositories/tool-query.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;
const CSV = [
  'at,city,n',
  '2025-01-01T00:00:00Z,Oslo,1',
  '2025-01-01T00:00:00Z,Lima,2',
  '2025-01-01T01:00:00Z,,3',
  '2025-01-01T02:00:00Z,Lima,4',
  '2025-01-01T02:00:00Z,Oslo,100',
  '',
].join('\n');
const WHOLE = { from: '(0,0)', to: null };

describe("The tools' repositories (real PostgreSQL)", () => {
  let db: RepositoryDatabase;
  let scans: DatasetScansRepository;
  let series: SeriesScansRepository;
  let organizationId: OrganizationId;
  let otherOrganizationId: OrganizationId;
  let dataset: DatasetEntity;
  /** The stored name of a column of the dataset. */
  const stored = (name: string) => dataset.columns.find((c) => c.name === name)?.column ?? name;

  beforeAll(async () => {
    db = await repositoryDatabase();
    ({ scans, series } = toolScans(new ToolQueryRepository(db.dataSource).readOnly(5000)));
    organizationId = await db.factory.newOrganization();
    otherOrganizationId = await db.factory.newOrganization();
    dataset = await db.factory.newDataset(organizationId, CSV);
  });
  afterAll(async () => {
    await db.close();
  });

  it("reads a column's spread, and reports the row of the value far from it", async () => {
    const measured = await scans.anomalySpreads(organizationId, dataset, [stored('n')]);
    expect(measured.pages).toBe(1);
    expect(measured.spreads).toEqual([{ median: 3, q1: 2, q3: 4, mad: 1 }]);
    const spread = { median: 3, q1: 2, q3: 4, mad: 1 };
    const candidates = await scans.anomalyCandidates(
      organizationId,
      dataset,
      [stored('n')],
      [{ i: 0, spread }],
      WHOLE,
      5,
    );
    expect(candidates).toEqual([
      { col: 0, value: 100, distance: 97, robustZ: expect.any(Number), before: 4, found: 1 },
    ]);
    expect(candidates[0]?.robustZ).toBeCloseTo(0.6745 * 97, 10);
    expect(await scans.partRows(organizationId, dataset, { from: '(0,0)', to: '(1,0)' })).toBe(5);
    expect(await scans.tableParts(organizationId, dataset)).toEqual([WHOLE]);
  });

  it('reads the segment rows, and the text cells with their file rows', async () => {
    const read = await scans.segmentRows(
      organizationId,
      dataset,
      { categorical: [stored('city')], numeric: [stored('n')] },
      { sampleRows: 100, levelCharacters: 2 },
    );
    expect(read.sampled).toBe(false);
    expect(read.rows.map((row) => [row.c0, row.y0])).toEqual([
      ['Os', 1],
      ['Li', 2],
      [null, 3],
      ['Li', 4],
      ['Os', 100],
    ]);
    const cells = await scans.textCells(
      organizationId,
      dataset,
      stored('city'),
      { fromPage: 0, toPage: 1 },
      { limit: 3, cellCharacters: 3, budget: 100 },
    );
    expect(cells.map((cell) => cell.value)).toEqual(['Osl', 'Lim', 'Lim']);
    const third = cells[2];
    if (third === undefined) throw new Error('no third cell');
    expect(await scans.rowAt(organizationId, dataset, third.at)).toBe(4);
  });

  it('reads a series as points and as buckets, and finds the file row of a bucket value', async () => {
    const [at, n] = [stored('at'), stored('n')];
    expect(await series.timeRange(organizationId, dataset, at)).toEqual([
      T0 / 1000,
      (T0 + 2 * HOUR) / 1000,
    ]);
    const points = await series.seriesPoints(organizationId, dataset, at, [n]);
    expect(
      points.map((p) => [p.t, p.n0, p.m0, p.lo0, p.hi0, p.lorow0, p.hirow0].map(Number)),
    ).toEqual([
      [T0, 2, 1.5, 1, 2, 1, 2],
      [T0 + HOUR, 1, 3, 3, 3, 3, 3],
      [T0 + 2 * HOUR, 2, 52, 4, 100, 4, 5],
    ]);
    const buckets = { originMs: T0, widthMs: 2 * HOUR };
    const bucketed = await series.seriesBuckets(organizationId, dataset, at, [n], buckets, WHOLE);
    expect(
      bucketed.map((b) => [b.b, b.n0, b.m0]).sort((x, y) => Number(x[0]) - Number(y[0])),
    ).toEqual([
      [0, '3', 2],
      [1, '2', 52],
    ]);
    const found = await series.bucketValueTids(
      organizationId,
      dataset,
      at,
      [n],
      buckets,
      { columns: [0], buckets: [1], values: [100] },
      WHOLE,
    );
    expect(found).toHaveLength(1);
    const tid = found[0]?.tid ?? '';
    expect(await series.rowsAt(organizationId, dataset, [tid])).toEqual(new Map([[tid, 5]]));
    const values = await series.columnValues(organizationId, dataset, [n]);
    expect(values.map((row) => [Number(row.rn), row.y0])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 100],
    ]);
  });

  it('refuses a dataset of another organization', async () => {
    const refused = 'A dataset of another organization reached its rows';
    await expect(scans.tablePages(otherOrganizationId, dataset)).rejects.toThrow(refused);
    await expect(
      scans.segmentRows(
        otherOrganizationId,
        dataset,
        { categorical: [], numeric: [stored('n')] },
        { sampleRows: 100, levelCharacters: 2 },
      ),
    ).rejects.toThrow(refused);
    await expect(
      series.seriesPoints(otherOrganizationId, dataset, stored('at'), [stored('n')]),
    ).rejects.toThrow(refused);
  });
});
