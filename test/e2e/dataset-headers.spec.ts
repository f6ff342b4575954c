import { type Json, storedDatasets, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/** Column names that are hard to carry: refused at upload, or carried intact everywhere. */
describe('dataset column names', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    key = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  });
  afterAll(async () => {
    await app.close();
  });

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
});
