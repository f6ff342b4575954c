import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { type Json, uploadCsv, getWithKey, startAnalystApp } from '../support/datasets';
import type { TestApp } from '../support/test-app';

const PAGE_MAX_BYTES = 64 * 1024;
/** What a page holds besides its rows: `{"data":[…],"nextCursor":"…","truncatedCells":[…]}`. */
const ENVELOPE_BYTES = 512;

/** Responses bounded by bytes: wide rows shorten the page, and lists leave profiles out. */
describe('dataset responses bounded by bytes', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    ({ app, key } = await startAnalystApp({
      DATASET_ROWS_PAGE_MAX_BYTES: String(PAGE_MAX_BYTES),
      RATE_LIMIT_DEFAULT_LIMIT: '10000',
    }));
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (pathname: string) => getWithKey(app, key, pathname);

  it('ends a page of wide rows early and goes on from there; a row over the budget comes cut', async () => {
    // 20 KB notes (three fit a page), one of 300,000 characters, and a short one.
    const notes = Array.from({ length: 60 }, (_, i) =>
      i === 30
        ? 'é'.repeat(150_000)
        : i === 45
          ? 'short'
          : String.fromCharCode(97 + (i % 26)).repeat(20_000),
    );
    const csv = 'id,note\n' + notes.map((note, i) => `${i},${note}`).join('\n') + '\n';
    const created = await uploadCsv(app, key, csv);
    expect(created.status).toBe(201);

    const rows: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const after: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await get(`/v1/datasets/${String(created.body.id)}/rows?limit=500${after}`);
      expect(page.status).toBe(200);
      expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(PAGE_MAX_BYTES + ENVELOPE_BYTES);
      const data = page.body.data as Json[];
      if (data.some((row) => row.id === 30)) {
        expect(data).toHaveLength(1);
        expect(page.body.truncatedCells).toEqual([{ row: 0, column: 'note', bytes: 300_000 }]);
        const cut = String(data[0]?.note);
        expect(cut.length).toBeGreaterThan(1000);
        expect(notes[30]?.startsWith(cut)).toBe(true);
        data[0] = { ...data[0], note: notes[30] };
      } else {
        expect(page.body.truncatedCells).toEqual([]);
      }
      rows.push(...data);
      cursor = page.body.nextCursor as string | null;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(rows).toEqual(notes.map((note, id) => ({ id, note })));
    expect(pages).toBeGreaterThanOrEqual(20);
    // The export streams every cell whole (in batches of about 4 MiB of rows).
    const exported = await get(`/v1/datasets/${String(created.body.id)}/export?format=json`);
    expect(exported.status).toBe(200);
    expect(JSON.parse(exported.text)).toEqual(rows);
  });

  it('lists datasets without reading their profiles', async () => {
    expect((await uploadCsv(app, key, 'a,b\n1,x\n2,y\n')).status).toBe(201);
    const statements: string[] = [];
    const original = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args) {
      statements.push(args[0]);
      return original.apply(this, args);
    } as typeof original;
    try {
      const list = await get('/v1/datasets?limit=500');
      expect(list.status).toBe(200);
      expect((list.body.data as Json[]).length).toBeGreaterThanOrEqual(2);
      expect((list.body.data as Json[])[0]).toMatchObject({
        rowCount: 2,
        columns: expect.any(Array) as unknown,
      });
    } finally {
      PostgresQueryRunner.prototype.query = original;
    }
    const listing = statements.filter((sql) => /FROM "datasets"/.test(sql));
    expect(listing).toHaveLength(1);
    expect(listing[0]).not.toContain('profile');
  });
});
