import { aggregate, DAY, type MetricsTest, type Point, startMetricsTest } from '../support/metrics';

/** A 2 s statement timeout: the unbounded cross join of issue 17 runs into it within the test. */
const STATEMENT_TIMEOUT_MS = 2000;

/** Series with `groupBy`: the top groups, the rest folded into `other`, and the bounds. */
describe('metrics series groups', () => {
  let t: MetricsTest;

  beforeAll(async () => {
    t = await startMetricsTest({ DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('10,000 metrics with 10,000 values of one dimension over six days', () => {
    const start = Date.parse('2025-06-02T00:00:00Z');
    const window = `from=2025-06-02T00:00:00Z&to=2025-06-08T00:00:00Z`;

    beforeAll(async () => {
      const metrics = Array.from({ length: 10_000 }, (_, i) => ({
        name: 'g.load',
        value: i % 100,
        dimensions: { session: `s${String(i).padStart(5, '0')}` },
        // Spread over six days, a minute apart at most.
        observedAt: new Date(start + Math.floor((i * 6 * DAY) / 10_000)).toISOString(),
      }));
      expect((await t.write(metrics)).status).toBe(201);
    });

    it('refuses minute buckets by group at once, naming the bound (it ran into the timeout and answered 500)', async () => {
      const began = Date.now();
      const response = await t.get(
        `/v1/metrics/series?name=g.load&interval=minute&groupBy=session&${window}`,
      );
      expect({ status: response.status, type: response.body.type }).toEqual({
        status: 400,
        type: '/problems/series-too-large',
      });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.detail).toContain('METRICS_SERIES_MAX_POINTS');
      expect(response.body.detail).toContain('8640');
      expect(Date.now() - began).toBeLessThan(STATEMENT_TIMEOUT_MS);
    });

    it('refuses a series of too many points before querying it', async () => {
      // 10,000 points / 11 runs (top 10 and other): 909 daily buckets fit, 1,000 do not.
      const response = await t.get(
        '/v1/metrics/series?name=g.load&groupBy=session&interval=day&from=2023-01-01&to=2025-09-27',
      );
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/series-too-large');
      expect(response.body.detail).toContain('1000 day buckets × 11 groups');
      expect(response.body.detail).toContain('METRICS_SERIES_MAX_POINTS');
    });

    it('answers hourly buckets with the top 10 groups and the rest folded into other', async () => {
      const response = await t.get(
        `/v1/metrics/series?name=g.load&interval=hour&agg=count&groupBy=session&${window}`,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ groups: 10, otherGroups: 9990 });
      const points = response.body.points as Point[];
      expect(points).toHaveLength(144 * 11);
      const other = points.filter((p) => p.other === true);
      expect(other).toHaveLength(144);
      expect(other.every((p) => !('group' in p))).toBe(true);
      // Every value counts once: the ten kept (one metric each) and the 9,990 folded.
      const total = (list: Point[]) => list.reduce((sum, p) => sum + (p.value ?? 0), 0);
      expect(total(other)).toBe(9990);
      expect(total(points)).toBe(10_000);
      // Ties (one metric each) go by value: the ten smallest session ids are kept.
      expect([...new Set(points.filter((p) => p.other !== true).map((p) => p.group))]).toEqual(
        Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(5, '0')}`),
      );
    });
  });

  describe('top groups and other, against a hand-computed expectation', () => {
    // Day 1 and day 2 of region values; counts over both days: a 5, b 4, c 3, null 2, d 2, e 1.
    const day1 = Date.parse('2025-07-01T00:00:00Z');
    const day2 = day1 + DAY;
    const rows: Array<{ region: string | null; value: number; t: number }> = [
      { region: 'a', value: 1, t: day1 },
      { region: 'a', value: 2, t: day1 },
      { region: 'a', value: 3, t: day2 },
      { region: 'a', value: 4, t: day2 },
      { region: 'a', value: 5, t: day2 },
      { region: 'b', value: 10, t: day1 },
      { region: 'b', value: 20, t: day1 },
      { region: 'b', value: 30, t: day1 },
      { region: 'b', value: 40, t: day2 },
      { region: 'c', value: 100, t: day1 },
      { region: 'c', value: 200, t: day2 },
      { region: 'c', value: 300, t: day2 },
      { region: null, value: 7, t: day1 },
      { region: null, value: 9, t: day2 },
      { region: 'd', value: 1000, t: day1 },
      { region: 'd', value: 3000, t: day1 },
      { region: 'e', value: 50, t: day1 },
    ];
    const range = 'from=2025-07-01T00:00:00Z&to=2025-07-03T00:00:00Z';

    beforeAll(async () => {
      const response = await t.write(
        rows.map((row, i) => ({
          name: 'g.top',
          value: row.value,
          observedAt: new Date(row.t + i * 60_000).toISOString(),
          ...(row.region === null ? {} : { dimensions: { region: row.region } }),
        })),
      );
      expect(response.status).toBe(201);
    });

    async function series(
      query: string,
    ): Promise<{ body: Record<string, unknown>; points: Point[] }> {
      const response = await t.get(
        `/v1/metrics/series?name=g.top&groupBy=region&${range}&${query}`,
      );
      expect(response.status).toBe(200);
      return { body: response.body, points: response.body.points as Point[] };
    }

    it('keeps the top groups by count and computes other over the folded rows (avg)', async () => {
      const { body, points } = await series('groups=2&agg=avg');
      expect(body).toMatchObject({ groups: 2, otherGroups: 4 });
      expect(points).toEqual([
        { t: '2025-07-01T00:00:00.000Z', group: 'a', value: 1.5 },
        { t: '2025-07-02T00:00:00.000Z', group: 'a', value: 4 },
        { t: '2025-07-01T00:00:00.000Z', group: 'b', value: 20 },
        { t: '2025-07-02T00:00:00.000Z', group: 'b', value: 40 },
        // Day 1 folds c 100, null 7, d 1000 and 3000, e 50: (100+7+1000+3000+50)/5 = 831.4,
        // not the average of the groups' averages ((100+7+2000+50)/4 = 539.25).
        { t: '2025-07-01T00:00:00.000Z', other: true, value: 831.4 },
        // Day 2 folds c 200 and 300, null 9: 509 / 3.
        { t: '2025-07-02T00:00:00.000Z', other: true, value: 509 / 3 },
      ]);
    });

    it('computes percentiles and counts of other over the folded rows', async () => {
      const folded = (day: number) =>
        rows
          .filter((row) => row.t === day && !['a', 'b', 'c'].includes(row.region ?? ''))
          .map((row) => row.value);
      for (const agg of ['p50', 'p95', 'count', 'sum', 'min', 'max']) {
        const { body, points } = await series(`groups=3&agg=${agg}`);
        expect(body).toMatchObject({ groups: 3, otherGroups: 3 });
        expect(points.filter((p) => p.other === true).map((p) => p.value)).toEqual([
          aggregate(folded(day1), agg),
          aggregate(folded(day2), agg),
        ]);
      }
      // By hand: day 1 folds null 7, d 1000 and 3000, e 50: p50 (50 + 1000) / 2.
      expect(aggregate(folded(day1), 'p50')).toBe(525);
    });

    it('has no other run when every group is kept, and the null group counts as a group', async () => {
      const { body, points } = await series('groups=6&agg=count');
      expect(body).toMatchObject({ groups: 6, otherGroups: 0 });
      expect(points.some((p) => p.other === true)).toBe(false);
      expect([...new Set(points.map((p) => p.group))]).toEqual(['a', 'b', 'c', 'd', 'e', null]);
    });

    it('folds everything but the first group with groups=1', async () => {
      const { points } = await series('groups=1&agg=count');
      expect(points.filter((p) => p.group === 'a').map((p) => p.value)).toEqual([2, 3]);
      expect(points.filter((p) => p.other === true).map((p) => p.value)).toEqual([8, 4]);
    });

    it('caches each number of groups apart', async () => {
      const two = await series('groups=2&agg=sum');
      const three = await series('groups=3&agg=sum');
      expect(two.body.otherGroups).toBe(4);
      expect(three.body.otherGroups).toBe(3);
      expect((await series('groups=2&agg=sum')).body).toEqual(two.body);
    });

    it('draws other as its own line in the SVG', async () => {
      const response = await t.get(
        `/v1/metrics/series.svg?name=g.top&groupBy=region&${range}&groups=2`,
      );
      expect(response.status).toBe(200);
      expect(response.text).toContain('(other)');
      const all = await t.get(`/v1/metrics/series.svg?name=g.top&groupBy=region&${range}&groups=6`);
      expect(all.text).not.toContain('(other)');
    });

    it.each(['0', '101', '2.5', 'x'])('refuses groups=%s, naming the field', async (groups) => {
      const response = await t.get(
        `/v1/metrics/series?name=g.top&groupBy=region&${range}&groups=${groups}`,
      );
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation-error');
      expect(response.body.errors).toEqual([
        { field: 'groups', message: 'groups must be a whole number from 1 to 100' },
      ]);
    });
  });

  it('answers a statement timeout with 503 and Retry-After, never 500', async () => {
    // A lock held elsewhere makes the read wait until its statement timeout cancels it.
    await t.db.query('BEGIN');
    await t.db.query('LOCK TABLE metrics IN ACCESS EXCLUSIVE MODE');
    try {
      const response = await t.get('/v1/metrics?name=g.never-read-before');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe('/problems/query-timeout');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.text).not.toMatch(/statement timeout|canceling/i);
    } finally {
      await t.db.query('ROLLBACK');
    }
  });
});
