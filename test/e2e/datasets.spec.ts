import { Client } from 'pg';
import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/** Limits small enough to reach in a test; everything else as configured by default. */
const LIMITS = {
  DATASET_MAX_BYTES: String(1_500_000),
  DATASET_MAX_COLUMNS: '20',
  DATASET_MAX_LINE_LENGTH: '2000',
  DATASET_MAX_FIELD_LENGTH: '500',
  RATE_LIMIT_EXPENSIVE_LIMIT: '10000',
};

describe('datasets', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let service: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: LIMITS });
    const factory = new Factory(app.app);
    [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
    service = (await factory.newApiKey(org.organizationId, 'service')).key;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  function upload(
    body: string | Buffer,
    options: { key?: string; query?: string; contentType?: string } = {},
  ) {
    return uploadCsv(app, options.key ?? analyst, body, options);
  }

  async function uploadForm(form: FormData, key = analyst) {
    const response = await fetch(`${app.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  function get(pathname: string, key = viewer) {
    return call(app.baseUrl, 'GET', pathname, { headers: { 'x-api-key': key } });
  }

  async function storedState(): Promise<{ datasets: number; tables: string[] }> {
    const datasets = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM datasets');
    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'dataset_rows' ORDER BY 1`,
    );
    return { datasets: datasets.rows[0]?.n ?? -1, tables: tables.rows.map((row) => row.name) };
  }

  const SALES =
    'Region,Order Date,Units,Price,Paid,Note\n' +
    'North,2024-01-02,3,9.5,true,"first, with comma"\n' +
    'South,2024-01-03,,12.25,false,"=HYPERLINK(""x"")"\n' +
    'North,2024-01-05,7,-3,true,\n' +
    'East,2024-01-09,1,0.5,,"say ""hi"""\n';

  describe('upload and read back', () => {
    let id: string;

    beforeAll(async () => {
      const created = await upload(SALES, { query: '?name=Sales%20Q1' });
      expect(created.status).toBe(201);
      id = String(created.body.id);
    });

    it('answers 201 with the shape of the file', async () => {
      const dataset = await get(`/v1/datasets/${id}`);
      expect(dataset.status).toBe(200);
      expect(dataset.body).toMatchObject({
        id,
        name: 'Sales Q1',
        status: 'ready',
        rowCount: 4,
        byteSize: Buffer.byteLength(SALES),
        delimiter: ',',
        header: true,
        columns: [
          { name: 'Region', column: 'region', type: 'string' },
          { name: 'Order Date', column: 'order_date', type: 'date' },
          { name: 'Units', column: 'units', type: 'integer' },
          { name: 'Price', column: 'price', type: 'number' },
          { name: 'Paid', column: 'paid', type: 'boolean' },
          { name: 'Note', column: 'note', type: 'string' },
        ],
        typeChanges: [],
      });
      const list = await get('/v1/datasets');
      expect((list.body.data as Json[]).map((item) => item.id)).toContain(id);
    });

    it('serves the profile computed during the upload', async () => {
      const profile = await get(`/v1/datasets/${id}/profile`);
      expect(profile.status).toBe(200);
      const columns = profile.body.columns as Json[];
      expect(columns[2]).toMatchObject({
        name: 'Units',
        type: 'integer',
        count: 4,
        nullCount: 1,
        min: 1,
        max: 7,
        distinctCount: 3,
      });
      expect(columns[2]?.mean).toBeCloseTo(11 / 3, 12);
      expect(columns[0]).toMatchObject({
        topValues: [
          { value: 'North', count: 2 },
          { value: 'East', count: 1 },
          { value: 'South', count: 1 },
        ],
        min: null,
        mean: null,
      });
      expect(columns[1]).toMatchObject({ min: '2024-01-02', max: '2024-01-09' });
    });

    it('pages through the rows in file order, each exactly once', async () => {
      const seen: Json[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = await get(`/v1/datasets/${id}/rows?limit=3${query}`);
        expect(page.status).toBe(200);
        seen.push(...(page.body.data as Json[]));
        cursor = page.body.nextCursor as string | null;
      } while (cursor !== null);
      expect(seen).toEqual([
        {
          Region: 'North',
          'Order Date': '2024-01-02',
          Units: 3,
          Price: 9.5,
          Paid: true,
          Note: 'first, with comma',
        },
        {
          Region: 'South',
          'Order Date': '2024-01-03',
          Units: null,
          Price: 12.25,
          Paid: false,
          Note: '=HYPERLINK("x")',
        },
        {
          Region: 'North',
          'Order Date': '2024-01-05',
          Units: 7,
          Price: -3,
          Paid: true,
          Note: null,
        },
        {
          Region: 'East',
          'Order Date': '2024-01-09',
          Units: 1,
          Price: 0.5,
          Paid: null,
          Note: 'say "hi"',
        },
      ]);
      const bad = await get(`/v1/datasets/${id}/rows?cursor=bm9wZQ`);
      expect(bad.status).toBe(400);
      expect(bad.body.type).toBe('/problems/invalid-cursor');
    });

    it('exports CSV with formulas neutralised, and JSON', async () => {
      const csv = await get(`/v1/datasets/${id}/export?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.text).toBe(
        'Region,Order Date,Units,Price,Paid,Note\n' +
          'North,2024-01-02,3,9.5,true,"first, with comma"\n' +
          `South,2024-01-03,,12.25,false,"'=HYPERLINK(""x"")"\n` +
          'North,2024-01-05,7,-3,true,\n' +
          'East,2024-01-09,1,0.5,,"say ""hi"""\n',
      );
      const json = await get(`/v1/datasets/${id}/export?format=json`);
      expect(JSON.parse(json.text)).toHaveLength(4);
      const bad = await get(`/v1/datasets/${id}/export?format=xml`);
      expect(bad.status).toBe(400);
    });

    it('draws column histograms as SVG', async () => {
      for (const column of ['Price', 'Order%20Date', 'Region', 'paid']) {
        const response = await fetch(
          `${app.baseUrl}/v1/datasets/${id}/columns/${column}/histogram.svg?bins=5`,
          {
            headers: { 'x-api-key': viewer },
          },
        );
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('image/svg+xml');
        expect(await response.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
      }
      const missing = await get(`/v1/datasets/${id}/columns/nope/histogram.svg`);
      expect(missing.status).toBe(404);
    });
  });

  it('takes a multipart form with options before the file', async () => {
    const form = new FormData();
    form.append('delimiter', 'semicolon');
    form.append('file', new Blob(['a;b\n1;x\n2;y\n'], { type: 'text/csv' }), 'semis.csv');
    const created = await uploadForm(form);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'semis', delimiter: ';', rowCount: 2 });

    const wrongField = new FormData();
    wrongField.append('upload', new Blob(['a\n1\n']), 'x.csv');
    const refused = await uploadForm(wrongField);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('"file"');
  });

  it('refuses options sent after the file (too late to parse it by), storing nothing', async () => {
    const before = await storedState();
    const form = new FormData();
    form.append('file', new Blob(['a;b\n1;x\n2;y\n'], { type: 'text/csv' }), 'late.csv');
    form.append('delimiter', 'semicolon');
    form.append('name', 'late');

    const refused = await uploadForm(form);

    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      errors: [
        {
          field: 'delimiter',
          message:
            'form field "delimiter" came after the file; send options before "file" or as query parameters',
        },
        expect.objectContaining({ field: 'name' }),
      ],
    });
    expect(await storedState()).toEqual(before);
  });

  describe('bad input: a 4xx naming the problem, and nothing stored', () => {
    const cases: Array<[string, string | Buffer, number, string, RegExp, string | undefined]> = [
      ['an empty file', '', 400, 'csv-empty-file', /empty/, undefined],
      ['a header without rows', 'a,b\n', 400, 'csv-header-only', /no data rows/, undefined],
      ['an unclosed quote', 'a,b\n1,"open\n2,3\n', 400, 'csv-unclosed-quote', /line 2/, undefined],
      ['a ragged row', 'a,b\n1,2\n3\n', 400, 'csv-ragged-row', /line 3/, undefined],
      [
        'a duplicate header',
        'a,A\n1,2\n',
        400,
        'csv-duplicate-header',
        /repeats column 1/,
        undefined,
      ],
      ['an empty header name', 'a,,c\n1,2,3\n', 400, 'csv-empty-header', /Column 2/, undefined],
      [
        'bytes that are not UTF-8',
        Buffer.from('a,b\n1,\xff\n', 'latin1'),
        415,
        'csv-not-utf8',
        /Line 2 is not valid UTF-8/,
        undefined,
      ],
      [
        'binary content',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]),
        415,
        'csv-binary-content',
        /binary/,
        undefined,
      ],
      [
        'a file over the byte limit',
        'a\n' + '1\n'.repeat(800_000),
        413,
        'csv-too-large',
        /1500000/,
        undefined,
      ],
      [
        'too many columns',
        Array.from({ length: 21 }, (_, i) => `c${i}`).join(',') + '\n',
        413,
        'csv-too-many-columns',
        /20/,
        undefined,
      ],
      [
        'a line over the limit',
        `a,b,c,d,e\n${Array(5).fill('x'.repeat(450)).join(',')}\n`,
        413,
        'csv-line-too-long',
        /Line 2/,
        undefined,
      ],
      [
        'a field over the limit',
        `a\n"${'y'.repeat(600)}"\n`,
        413,
        'csv-field-too-long',
        /line 2/,
        undefined,
      ],
      ['a JSON body', '{"a":1}', 415, 'unsupported-media-type', /text\/csv/, 'application/json'],
      ['a plain-text body', 'a\n1\n', 415, 'unsupported-media-type', /text\/plain/, 'text/plain'],
    ];

    it.each(cases)('%s', async (_label, body, status, slug, detail, contentType) => {
      const before = await storedState();
      const response = await upload(body, { contentType });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.type).toBe(`/problems/${slug}`);
      expect(String(response.body.detail)).toMatch(detail);
      expect(await storedState()).toEqual(before);
    });

    it('refuses bad options by name', async () => {
      const before = await storedState();
      const response = await upload('a\n1\n', { query: '?delimiter=x&header=maybe' });
      expect(response.status).toBe(400);
      const fields = (response.body.errors as Json[]).map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['delimiter', 'header']));
      expect(await storedState()).toEqual(before);
    });
  });

  describe('access', () => {
    let id: string;

    beforeAll(async () => {
      id = String((await upload('x,y\n1,2\n')).body.id);
    });

    it('lets viewers read but not write, and keeps the service role out', async () => {
      expect((await upload('a\n1\n', { key: viewer })).status).toBe(403);
      expect((await upload('a\n1\n', { key: service })).status).toBe(403);
      expect((await get(`/v1/datasets/${id}`, service)).status).toBe(403);
      expect((await get(`/v1/datasets/${id}`, viewer)).status).toBe(200);
    });

    it("hides another organization's dataset behind 404 everywhere", async () => {
      for (const suffix of ['', '/profile', '/rows', '/export', '/columns/x/histogram.svg']) {
        const response = await get(`/v1/datasets/${id}${suffix}`, other.adminKey);
        expect(response.status).toBe(404);
      }
      const path = `/v1/datasets/${id}`;
      const deleted = await call(app.baseUrl, 'DELETE', path, {
        headers: signedHeaders(other.adminKey, 'DELETE', path),
      });
      expect(deleted.status).toBe(404);
      expect((await get(path)).status).toBe(200);
    });

    it('deletes only with a signature, and takes the rows table with it', async () => {
      const path = `/v1/datasets/${id}`;
      const unsigned = await call(app.baseUrl, 'DELETE', path, {
        headers: { 'x-api-key': analyst },
      });
      expect(unsigned.status).toBe(401);
      const byViewer = await call(app.baseUrl, 'DELETE', path, {
        headers: signedHeaders(viewer, 'DELETE', path),
      });
      expect(byViewer.status).toBe(403);
      const before = await storedState();
      const deleted = await call(app.baseUrl, 'DELETE', path, {
        headers: signedHeaders(analyst, 'DELETE', path),
      });
      expect(deleted.status).toBe(204);
      expect((await get(path)).status).toBe(404);
      const after = await storedState();
      expect(after.datasets).toBe(before.datasets - 1);
      expect(after.tables).toEqual(
        before.tables.filter((name) => name !== `d_${id.replace(/-/g, '')}`),
      );
      expect(after.tables).toHaveLength(before.tables.length - 1);
    });
  });
});
