import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uploadCsv } from '../support/datasets';
import { call, Factory, type TestOrganization } from '../support/factory';
import { questionCount } from '../support/questions';
import { startTestApp, type TestApp } from '../support/test-app';

const SEATTLE_WEATHER = readFileSync(
  join(__dirname, '..', '..', 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv'),
);

type Row = Array<string | number | boolean | null>;

/**
 * Questions answered end to end over Seattle's daily weather, 2012-2015: the builtin
 * planner, the compiler and PostgreSQL. Expected values are computed from the CSV by hand
 * (Python's csv and statistics modules), not by the code under test.
 */
describe('questions answered', () => {
  let app: TestApp;
  let home: TestOrganization;
  let datasetId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    home = await new Factory(app.app).newOrganization();
    const uploaded = await uploadCsv(app, home.adminKey, SEATTLE_WEATHER);
    datasetId = String(uploaded.body.id);
  });
  afterAll(async () => {
    await app.close();
  });

  const ask = async (question: string) =>
    call(app.baseUrl, 'POST', `/v1/datasets/${datasetId}/questions`, {
      headers: { 'x-api-key': home.adminKey },
      body: { question },
    });
  const rowsOf = (body: Record<string, unknown>) => (body.result as { rows: Row[] }).rows;

  it('answers a filtered average with the query, the result, the answer and a chart', async () => {
    const response = await ask('What was the average max temperature on rainy days?');
    expect(response.status).toBe(200);
    expect(response.body.query).toEqual({
      measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
      filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
      // The row cap the service puts on every query.
      limit: 1000,
    });
    const [row] = rowsOf(response.body);
    expect(row?.[0]).toBe(641);
    expect(Number(row?.[1])).toBeCloseTo(13.4546, 3);
    expect(response.body.answer).toMatch(/641/);
    expect(response.body.answer).toMatch(/13\.45/);
    expect(response.body.model).toEqual({
      provider: 'builtin',
      name: 'sightline-builtin-question-planner-1',
    });
    const chart = await fetch(`${app.baseUrl}/v1/questions/${String(response.body.id)}/chart.svg`, {
      headers: { 'x-api-key': home.adminKey },
    });
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('<svg');
  });

  it('counts by group, totals a month and lists the hottest days', async () => {
    const byWeather = await ask('number of days by weather');
    expect(byWeather.status).toBe(200);
    expect(new Map(rowsOf(byWeather.body) as Array<[string, number]>)).toEqual(
      new Map([
        ['drizzle', 53],
        ['fog', 101],
        ['rain', 641],
        ['snow', 26],
        ['sun', 640],
      ]),
    );
    const march = await ask('total precipitation in March 2014');
    expect(rowsOf(march.body)[0]?.[0]).toBe(31);
    expect(Number(rowsOf(march.body)[0]?.[1])).toBeCloseTo(240, 6);
    const hottest = await ask('what were the 3 hottest days?');
    expect(rowsOf(hottest.body)).toEqual([
      ['2014-08-11', 35.6],
      ['2015-07-19', 35],
      ['2012-08-16', 34.4],
    ]);
  });

  it('refuses what it cannot read with 422, naming the words and the columns', async () => {
    const before = await questionCount(app, home.organizationId);
    const response = await ask('What was the average humidity in July 2014?');
    expect(response.status).toBe(422);
    expect(response.body.type).toBe('/problems/question-not-understood');
    expect(response.body.notUnderstood).toEqual(['humidity']);
    expect(response.body.columns).toEqual(
      expect.arrayContaining(['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']),
    );
    expect(await questionCount(app, home.organizationId)).toBe(before);
  });

  it.each([
    '¿Cuál fue la temperatura máxima promedio en los días de lluvia?',
    'SELECT * FROM pg_shadow; DROP TABLE questions',
    'asdkjh qwe zxcmnb',
    'average temp_max '.repeat(100),
    'how many rows where weather = rain or 1=1 --',
  ])('never answers 5xx: %s', async (question) => {
    const response = await ask(question);
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect([200, 400, 422]).toContain(response.status);
  });
});
