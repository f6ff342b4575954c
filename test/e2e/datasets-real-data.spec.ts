import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { VEGA_DATA_DIR } from '../../libs/datasets/src/profiling/testing/vega-data';
import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('datasets of real data', () => {
  let app: TestApp;
  let key: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    key = (await new Factory(app.app).newOrganization()).adminKey;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  function get(pathname: string) {
    return call(app.baseUrl, 'GET', pathname, { headers: { 'x-api-key': key } });
  }

  describe('real data (vega-datasets)', () => {
    const files = ['weather.csv', 'seattle-weather.csv', 'stocks.csv', 'birdstrikes.csv'];

    async function profileOf(id: string): Promise<Json[]> {
      return (await get(`/v1/datasets/${id}/profile`)).body.columns as Json[];
    }

    it.each(files)(
      '%s: the profile matches PostgreSQL computing it from the stored rows',
      async (file) => {
        const bytes = readFileSync(path.join(VEGA_DATA_DIR, file));
        const created = await uploadCsv(app, key, bytes, { query: `?name=${file}` });
        expect(created.status).toBe(201);
        const id = String(created.body.id);
        const table = `dataset_rows.d_${id.replace(/-/g, '')}`;
        const columns = created.body.columns as Array<{
          name: string;
          column: string;
          type: string;
        }>;
        const profile = await profileOf(id);
        for (const [i, column] of columns.entries()) {
          const got = profile[i];
          const c = `"${column.column}"`;
          const numeric = column.type === 'integer' || column.type === 'number';
          const exact = (
            await db.query<Json>(
              `SELECT count(*)::int AS count, (count(*) - count(${c}))::int AS nulls,
                    count(DISTINCT ${c})::int AS distinct,
                    ${numeric ? `min(${c})::float8 AS min, max(${c})::float8 AS max, avg(${c}::float8) AS mean, stddev_samp(${c}::float8) AS stddev` : 'null AS min'}
             FROM ${table}`,
            )
          ).rows[0];
          expect(got.count).toBe(exact.count);
          expect(got.nullCount).toBe(exact.nulls);
          const distinct = Number(exact.distinct);
          if (distinct <= 10_000) expect(got.distinctCount).toBe(distinct);
          else
            expect(Math.abs(Number(got.distinctCount) - distinct) / distinct).toBeLessThan(
              3 * 0.0081,
            );
          if (!numeric) continue;
          expect(got.min).toBe(exact.min);
          expect(got.max).toBe(exact.max);
          expect(Number(got.mean)).toBeCloseTo(Number(exact.mean), 9);
          expect(Number(got.stddev)).toBeCloseTo(Number(exact.stddev), 9);
          // Each quantile's rank among the stored values is within the sketch's bound.
          const n = Number(exact.count) - Number(exact.nulls);
          for (const [name, q] of Object.entries({
            p05: 0.05,
            p25: 0.25,
            p50: 0.5,
            p75: 0.75,
            p95: 0.95,
          })) {
            const value = (got.quantiles as Json)[name];
            const rank = await db.query<{ below: number; at: number }>(
              `SELECT count(*) FILTER (WHERE ${c} < $1)::int AS below, count(*) FILTER (WHERE ${c} <= $1)::int AS at FROM ${table}`,
              [value],
            );
            const { below, at } = rank.rows[0];
            const error = Math.max(0, below / n - q, q - at / n);
            expect(error).toBeLessThanOrEqual(n <= 200 ? 1 / n : 0.0165);
          }
        }
      },
    );

    it.each(files)('%s: export as CSV, upload again, same profile', async (file) => {
      const first = await uploadCsv(app, key, readFileSync(path.join(VEGA_DATA_DIR, file)));
      expect(first.status).toBe(201);
      const exported = await get(`/v1/datasets/${String(first.body.id)}/export?format=csv`);
      const second = await uploadCsv(app, key, exported.text);
      expect(second.status).toBe(201);
      expect(second.body.columns).toEqual(first.body.columns);
      expect(await profileOf(String(second.body.id))).toEqual(
        await profileOf(String(first.body.id)),
      );
    });
  });
});
