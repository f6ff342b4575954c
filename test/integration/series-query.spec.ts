import { type OrganizationId } from '@app/tenancy';
import {
  bucketWidthMs,
  rowsOfBucketValues,
  seriesOf,
  valuesOf,
} from '../../libs/analysis/src/agents/series-query';
import { analysisContextOf } from '../support/analysing-app';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

describe('series extraction in SQL (real PostgreSQL)', () => {
  let app: TestApp;
  let analyst: string;
  let organizationId: OrganizationId;

  beforeAll(async () => {
    app = await startTestApp();
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    organizationId = org.organizationId;
    analyst = (await factory.newApiKey(organizationId, 'analyst')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const contextFor = (csv: string) => analysisContextOf(app, organizationId, analyst, csv, 5000);

  const iso = (ms: number) => new Date(ms).toISOString();

  it('reads one point per time: the mean of rows sharing it, and the file rows of its extremes', async () => {
    const context = await contextFor(
      [
        'at,a,b',
        `${iso(T0 + HOUR)},5,1`, // row 1
        `${iso(T0)},2,`, // row 2
        `${iso(T0)},8,3`, // row 3
        `,100,100`, // row 4: no time, left out but counted
        `${iso(T0 + HOUR)},1,`, // row 5
        `${iso(T0 + 2 * HOUR)},,7`, // row 6
        '',
      ].join('\n'),
    );
    const series = await seriesOf(context, ['a', 'b'], 'at');
    expect(series.bucketMs).toBeNull();
    expect(series.columns.get('a')).toEqual([
      { t: T0, y: 5, count: 2, min: 2, max: 8, minRow: 2, maxRow: 3, sd: null },
      { t: T0 + HOUR, y: 3, count: 2, min: 1, max: 5, minRow: 5, maxRow: 1, sd: null },
    ]);
    expect(series.columns.get('b')).toEqual([
      { t: T0, y: 3, count: 1, min: 3, max: 3, minRow: 3, maxRow: 3, sd: null },
      { t: T0 + HOUR, y: 1, count: 1, min: 1, max: 1, minRow: 1, maxRow: 1, sd: null },
      { t: T0 + 2 * HOUR, y: 7, count: 1, min: 7, max: 7, minRow: 6, maxRow: 6, sd: null },
    ]);
  });

  it('reads a larger table as round time buckets, and finds the file row of a bucket extreme', async () => {
    // 4 rows an hour for 2 days; one planted extreme at row 50 (hour 12, its second row).
    const lines = ['at,v'];
    for (let k = 0; k < 4 * 48; k++) {
      const value = k === 49 ? 1000 : k % 4;
      lines.push(`${iso(T0 + k * 15 * 60_000)},${value}`);
    }
    const context = await contextFor(`${lines.join('\n')}\n`);
    // At most 30 buckets over 47.75 hours: 2-hour buckets.
    const series = await seriesOf(context, ['v'], 'at', { maxPoints: 100, maxBuckets: 30 });
    expect(series.bucketMs).toBe(2 * HOUR);
    expect(series.originMs).toBe(T0);
    const cells = series.columns.get('v') ?? [];
    expect(cells).toHaveLength(24);
    expect(cells[0]).toMatchObject({ t: T0, y: 1.5, count: 8, min: 0, max: 3, minRow: null });
    expect(cells[0]?.sd).toBeCloseTo(Math.sqrt(10 / 7), 10);
    const planted = cells[6];
    expect(planted).toMatchObject({ t: T0 + 12 * HOUR, count: 8, max: 1000 });
    const rows = await rowsOfBucketValues(context, series, [
      { column: 'v', t: T0 + 12 * HOUR, value: 1000 },
      { column: 'v', t: T0 + 2 * HOUR, value: 3 },
      { column: 'v', t: T0, value: 42 },
    ]);
    // Hour 2's first 3 is its fourth row: row 8 + 4 = 12.
    expect(rows).toEqual([50, 12, null]);
  });

  it('reads a table in parts at once with the same buckets and rows as in one piece', async () => {
    // 4 rows an hour for 20 days (several pages); a planted extreme in the second half.
    const lines = ['at,v'];
    for (let k = 0; k < 4 * 24 * 20; k++) {
      const value = k === 1500 ? 5000 : ((k * 37) % 101) / 7;
      lines.push(`${iso(T0 + k * 15 * 60_000)},${value}`);
    }
    const context = await contextFor(`${lines.join('\n')}\n`);
    const options = { maxPoints: 100, maxBuckets: 100 };
    const whole = await seriesOf(context, ['v'], 'at', options);
    const parted = await seriesOf(context, ['v'], 'at', { ...options, minPartPages: 1 });
    expect(await context.scans.tableParts(context.organizationId, context.dataset, 1)).toHaveLength(
      2,
    );
    const [one, two] = [whole, parted].map((s) => s.columns.get('v') ?? []);
    expect(two).toHaveLength(one.length);
    two.forEach((cell, k) => {
      const { sd, y, ...exact } = cell;
      const { sd: sdWhole, y: yWhole, ...exactWhole } = one[k] ?? cell;
      expect(exact).toEqual(exactWhole);
      expect(y).toBeCloseTo(yWhole, 9);
      expect(sd ?? NaN).toBeCloseTo(sdWhole ?? NaN, 9);
    });
    const bucket = two.find((cell) => cell.max === 5000);
    expect(bucket).toBeDefined();
    const wanted = [{ column: 'v', t: bucket?.t ?? NaN, value: 5000 }];
    expect(await rowsOfBucketValues(context, parted, wanted, { minPartPages: 1 })).toEqual([1501]);
    expect(await rowsOfBucketValues(context, whole, wanted)).toEqual([1501]);
  });

  it('reads the values of a table without time with their file rows', async () => {
    const context = await contextFor('x,y\n1,\n,2\n3,4\n');
    expect(await valuesOf(context, ['x', 'y'])).toEqual(
      new Map([
        ['x', { values: [1, 3], rows: [1, 3] }],
        ['y', { values: [2, 4], rows: [2, 3] }],
      ]),
    );
  });

  it('chooses the narrowest round bucket width that fits', () => {
    expect(bucketWidthMs(47.75 * HOUR, 30)).toBe(2 * HOUR);
    expect(bucketWidthMs(1389 * 24 * HOUR, 10_000)).toBe(4 * HOUR);
    expect(bucketWidthMs(100 * 365 * 24 * HOUR, 1000)).toBe(7 * 24 * HOUR * 6);
  });
});
