import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { type AnalysesTest, startAnalysesTest } from '../support/analyses';
import { call, type TestOrganization } from '../support/factory';
import type { TestApp } from '../support/test-app';

/** What a request for analyses may ask: batches, refusals, tenancy, idempotency, cancelling. */
describe('analyses over HTTP (queue, inline worker, builtin model)', () => {
  let analyses: AnalysesTest;
  let app: TestApp;
  let other: TestOrganization;
  let analyst: string;
  let datasetId: string;
  let db: Client;
  let post: AnalysesTest['post'];
  let get: AnalysesTest['get'];

  beforeAll(async () => {
    analyses = await startAnalysesTest();
    ({ app, other, analyst, datasetId, db, post, get } = analyses);
  });
  afterAll(() => analyses.close());

  it('starts a batch all or none, naming a bad item by its index', async () => {
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM analyses'))
      .rows[0]?.n;
    const refused = await post(
      { items: [{ text: 'fine' }, { datasetId: randomUUID() }] },
      '',
      analyst,
      {},
      '/batch',
    );
    expect(refused.status).toBe(400);
    expect((refused.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'items[1]',
    ]);
    const invalid = await post({ items: [{ text: '' }] }, '', analyst, {}, '/batch');
    expect((invalid.body.errors as Array<{ field: string }>)[0]?.field).toBe('items[0].text');
    const tooMany = await post(
      { items: Array.from({ length: 101 }, () => ({ text: 'x' })) },
      '',
      analyst,
      {},
      '/batch',
    );
    expect(tooMany.status).toBe(400);
    expect(
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM analyses')).rows[0]?.n,
    ).toBe(before);

    const started = await post(
      { items: [{ text: 'one' }, { datasetId, agents: ['profile'] }] },
      '',
      analyst,
      {},
      '/batch',
    );
    expect(started.status).toBe(202);
    const data = started.body.data as Array<{ id: string; status: string }>;
    expect(data.map((item) => item.status)).toEqual(['queued', 'queued']);
    const second = (await get(`/v1/analyses/${data[1]?.id ?? ''}`)).body;
    expect(second.input).toEqual({ kind: 'dataset', datasetId });
  });

  it('writes the analysis and its job together: a refused request leaves neither', async () => {
    const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n;
    const analyses = await count('SELECT count(*)::int AS n FROM analyses');
    const jobs = await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'analysis'`);
    expect((await post({ datasetId: randomUUID() })).status).toBe(404);
    expect(await count('SELECT count(*)::int AS n FROM analyses')).toBe(analyses);
    expect(await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'analysis'`)).toBe(
      jobs,
    );
  });

  it.each([
    ['both inputs', { datasetId: randomUUID(), text: 'x' }, '', 'datasetId'],
    ['no input', {}, '', 'datasetId'],
    ['an unknown agent', { text: 'x', agents: ['oracle'] }, '', 'agents'],
    ['empty text', { text: '' }, '', 'text'],
    ['a wait over 60 s', { text: 'x' }, '?wait=61', 'wait'],
    ['an unknown field', { text: 'x', model: 'gpt' }, '', 'model'],
    ['maxAnomalies 0', { text: 'x', maxAnomalies: 0 }, '', 'maxAnomalies'],
    ['maxAnomalies over 100', { text: 'x', maxAnomalies: 101 }, '', 'maxAnomalies'],
    ['a fractional maxAnomalies', { text: 'x', maxAnomalies: 2.5 }, '', 'maxAnomalies'],
  ])('refuses %s with 400 naming the field', async (_case, body, query, field) => {
    const response = await post(body, query);
    expect(response.status).toBe(400);
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
  });

  it("does not analyse another organization's dataset, nor show its analyses", async () => {
    const theirs = await post({ datasetId }, '', other.adminKey);
    expect(theirs.status).toBe(404);
    const mine = await post({ text: 'fine' }, '?wait=30');
    expect((await get(`/v1/analyses/${String(mine.body.id)}`, other.adminKey)).status).toBe(404);
    expect((await get('/v1/analyses', other.adminKey)).body.data).toEqual([]);
  });

  it('repeats a ?wait request under its Idempotency-Key with the status it first answered', async () => {
    const key = randomUUID();
    const first = await post({ text: 'waited for' }, '?wait=30', analyst, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(200);
    const again = await post({ text: 'waited for' }, '?wait=30', analyst, {
      'idempotency-key': key,
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses to cancel a finished analysis (409), and same Idempotency-Key is one analysis', async () => {
    const key = randomUUID();
    const first = await post({ text: 'once' }, '', analyst, { 'idempotency-key': key });
    const again = await post({ text: 'once' }, '', analyst, { 'idempotency-key': key });
    expect(again.body.id).toBe(first.body.id);
    const done = await post({ text: 'done' }, '?wait=30');
    const cancel = await call(app.baseUrl, 'DELETE', `/v1/analyses/${String(done.body.id)}`, {
      headers: { 'x-api-key': analyst },
    });
    expect(cancel.status).toBe(409);
  });
});
