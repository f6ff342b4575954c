import { type Json, uploadCsv, getWithKey, startAnalystApp } from '../support/datasets';
import type { TestApp } from '../support/test-app';

/** Letters from a fixed seed: rows of varied width, the same on every run. */
function letters(seed: number, length: number): string {
  let text = '';
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    text += String.fromCharCode(97 + (x % 26));
  }
  return text;
}

/** `id,label` rows 0..n-1; with `varied`, labels of 0–1,500 characters (rows per block vary). */
function numberedCsv(n: number, varied = false): string {
  let csv = 'id,label\n';
  for (let i = 0; i < n; i++) {
    const label = varied ? letters(i, 1 + ((i * 7919) % 1500)) : `row ${i}`;
    csv += `${i},${label}\n`;
  }
  return csv;
}

describe('dataset rows: pages and exports in file order, each row exactly once', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    ({ app, key } = await startAnalystApp({ RATE_LIMIT_DEFAULT_LIMIT: '100000' }));
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (pathname: string) => getWithKey(app, key, pathname);

  async function upload(csv: string): Promise<string> {
    const created = await uploadCsv(app, key, csv);
    expect(created.status).toBe(201);
    return String(created.body.id);
  }

  /** Every page of `rows?limit=…`, in order; fails on a page that is not a 200. */
  async function walk(id: string, limit: number): Promise<{ rows: Json[]; pages: Json[][] }> {
    const pages: Json[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await get(`/v1/datasets/${id}/rows?limit=${limit}${after}`);
      expect(page.status).toBe(200);
      pages.push(page.body.data as Json[]);
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null && pages.length <= 100_000);
    return { rows: pages.flat(), pages };
  }

  function ids(rows: Json[]): unknown[] {
    return rows.map((row) => row.id);
  }

  function range(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i);
  }

  it('walks 1 row and 10 rows at any page size', async () => {
    for (const n of [1, 10]) {
      const id = await upload(numberedCsv(n));
      for (const limit of [1, 3, 7, 10, 499, 500]) {
        const { rows, pages } = await walk(id, limit);
        expect(ids(rows)).toEqual(range(n));
        expect(pages).toHaveLength(Math.max(1, Math.ceil(n / limit)));
      }
      for (const place of ['(4294967296,0)', '(0,65536)', '(0,1']) {
        const cursor = Buffer.from(place).toString('base64url');
        const bad = await get(`/v1/datasets/${id}/rows?cursor=${cursor}`);
        expect(bad.status).toBe(400);
        expect(bad.body.type).toBe('/problems/invalid-cursor');
      }
    }
  });

  it('walks rows of varied width with the page boundary anywhere', async () => {
    for (const [n, limits] of [
      [40, [1, 3]],
      [1_237, [7, 499, 500]],
    ] as const) {
      const id = await upload(numberedCsv(n, true));
      for (const limit of limits) {
        const { rows, pages } = await walk(id, limit);
        expect(ids(rows)).toEqual(range(n));
        expect(rows.map((row) => row.label)).toEqual(
          range(n).map((i) => letters(i, 1 + ((i * 7919) % 1500))),
        );
        expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      }
    }
  }, 120_000);

  it('walks 25,000 rows 500 at a time, and exports them in the same order', async () => {
    const n = 25_000;
    const id = await upload(numberedCsv(n));
    const { rows, pages } = await walk(id, 500);
    expect(pages).toHaveLength(50);
    expect(ids(rows.slice(0, 3))).toEqual([0, 1, 2]);
    expect(ids(rows)).toEqual(range(n));

    const csv = await get(`/v1/datasets/${id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(numberedCsv(n));
    const json = await get(`/v1/datasets/${id}/export?format=json`);
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toEqual(rows);
  }, 120_000);
});
