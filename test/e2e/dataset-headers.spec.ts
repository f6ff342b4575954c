import {
  type Json,
  storedDatasets,
  uploadCsv,
  getWithKey,
  startAnalystApp,
} from '../support/datasets';
import { call } from '../support/factory';
import type { TestApp } from '../support/test-app';

/** Column names that are hard to carry: refused at upload, or carried intact everywhere. */
describe('dataset column names', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    ({ app, key } = await startAnalystApp({ RATE_LIMIT_EXPENSIVE_LIMIT: '10000' }));
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (pathname: string) => getWithKey(app, key, pathname);
  const post = (pathname: string, body: unknown) =>
    call(app.baseUrl, 'POST', pathname, { headers: { 'x-api-key': key }, body });

  /** 30 days of two series under the given names, the first a time column. */
  function series(names: readonly [string, string, string]): string {
    let csv = names.map((name) => `"${name.replace(/"/g, '""')}"`).join(',') + '\n';
    for (let d = 0; d < 30; d++) {
      const day = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
      csv += `${day},${10 + 2 * d},${d % 5}\n`;
    }
    return csv;
  }

  describe('refused at upload, by column, before anything is stored', () => {
    it.each([
      ['a control character', 'a\u0007b', 'header-control-character', '"a\\u0007b"'],
      ['a line break', 'a\nb', 'header-control-character', '"a\\nb"'],
      ['a C1 control character', 'a\u009bb', 'header-control-character', 'U+009B'],
      ['257 characters', 'n'.repeat(257), 'header-too-long', '257 characters'],
    ])('a name with %s', async (_, name, type, shown) => {
      const before = await storedDatasets(app);
      const response = await uploadCsv(app, key, series(['day', name, 'other']));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe(`/problems/csv-${type}`);
      expect(response.body.detail).toContain('Column 2 of the header');
      expect(response.body.detail).toContain(shown);
      expect(await storedDatasets(app)).toEqual(before);
    });

    it('a record key with a control character, by field', async () => {
      const response = await post('/v1/analyses', {
        records: [{ day: '2025-01-01', 'a\tb': 1 }],
      });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation-error');
      expect(response.body.errors).toEqual([
        {
          field: 'records[0]',
          message: expect.stringContaining('contains the control character U+0009') as string,
        },
      ]);
    });
  });

  it('analyses a dataset whose column names are as long as allowed', async () => {
    const long = (letter: string) => letter.repeat(255) + 'é';
    const created = await uploadCsv(app, key, series([long('d'), long('v'), long('w')]));
    expect(created.status).toBe(201);
    const analysis = await post('/v1/analyses?wait=30', { datasetId: created.body.id });
    expect(analysis.status).toBe(200);
    expect(analysis.body.status).toBe('succeeded');
    expect((analysis.body.result as Json).trends).toContainEqual(
      expect.objectContaining({
        column: long('v'),
        timeColumn: long('d'),
        direction: 'increasing',
      }),
    );
  });

  describe('names that are special in JavaScript or equal once sanitised', () => {
    const names = ['day', '__proto__', 'constructor', 'toString', 'a b', 'a_b'];
    let id: string;
    /** The rows as the file has them, as [name, value] pairs (no object literal: `__proto__`). */
    const expected = Array.from({ length: 30 }, (_, d) => [
      ['day', new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10)],
      ['__proto__', 10 + 2 * d],
      ['constructor', d % 5],
      ['toString', `t${d}`],
      ['a b', d % 2 === 0],
      ['a_b', `x${d % 3}`],
    ]);

    beforeAll(async () => {
      const csv =
        names.join(',') +
        '\n' +
        expected.map((row) => row.map(([, value]) => String(value)).join(',')).join('\n') +
        '\n';
      const created = await uploadCsv(app, key, csv);
      expect(created.status).toBe(201);
      id = String(created.body.id);
      expect((created.body.columns as Json[]).map((c) => [c.name, c.column])).toEqual([
        ['day', 'day'],
        ['__proto__', 'proto'],
        ['constructor', 'constructor'],
        ['toString', 'to_string'],
        ['a b', 'a_b'],
        ['a_b', 'a_b_2'],
      ]);
    });

    it('keys rows and the JSON export by every name, as own properties', async () => {
      const page = await get(`/v1/datasets/${id}/rows?limit=500`);
      expect(page.status).toBe(200);
      expect((page.body.data as Json[]).map((row) => Object.entries(row))).toEqual(expected);
      const json = await get(`/v1/datasets/${id}/export?format=json`);
      const exported = JSON.parse(json.text) as Json[];
      expect(exported.map((row) => Object.entries(row))).toEqual(expected);
      const csv = await get(`/v1/datasets/${id}/export?format=csv`);
      expect(csv.text.split('\n')[0]).toBe(names.join(','));
    });

    it('profiles and analyses every column under its own name', async () => {
      const profile = await get(`/v1/datasets/${id}/profile`);
      expect((profile.body.columns as Json[]).map((c) => c.name)).toEqual(names);
      const analysis = await post('/v1/analyses?wait=30', { datasetId: id });
      expect(analysis.status).toBe(200);
      expect(analysis.body.status).toBe('succeeded');
      expect((analysis.body.result as Json).trends).toContainEqual(
        expect.objectContaining({
          column: '__proto__',
          timeColumn: 'day',
          direction: 'increasing',
        }),
      );
    });

    it('keeps record keys named like Object members; refuses prototype keys by name', async () => {
      const records = Array.from({ length: 30 }, (_, d) => ({
        n: d,
        toString: 2 * d,
        valueOf: 'v',
      }));
      const analysis = await post('/v1/analyses?wait=30', { records, agents: ['profile'] });
      expect(analysis.status).toBe(200);
      const datasetId = String((analysis.body.input as Json).datasetId);
      const rows = await get(`/v1/datasets/${datasetId}/rows?limit=2`);
      expect(rows.body.data).toEqual([
        { n: 0, toString: 0, valueOf: 'v' },
        { n: 1, toString: 2, valueOf: 'v' },
      ]);
      const withConstructor = await post('/v1/analyses', {
        records: [{ n: 1 }, { n: 2, constructor: 1, prototype: 2 }],
      });
      expect(withConstructor.status).toBe(400);
      expect(withConstructor.body.type).toBe('/problems/validation-error');
      expect((withConstructor.body.errors as Json[]).map((error) => error.field)).toEqual([
        'records[1].constructor',
        'records[1].prototype',
      ]);
      const poisoned = await call(app.baseUrl, 'POST', '/v1/analyses', {
        headers: { 'x-api-key': key },
        body: '{"records": [{"__proto__": 1}]}',
      });
      expect(poisoned.status).toBe(400);
      expect(poisoned.headers.get('content-type')).toContain('application/problem+json');
    });
  });
});
