import { Client } from 'pg';
import { uploadCsv } from './datasets';
import { call, Factory, type TestOrganization } from './factory';
import { startTestApp, type TestApp } from './test-app';

type Response = ReturnType<typeof call>;

/** An app whose analyses the analyses e2e specs ask for over HTTP, and who asks. */
export interface AnalysesTest {
  app: TestApp;
  org: TestOrganization;
  /** Another organization, with its admin key. */
  other: TestOrganization;
  /** Keys of `org`. */
  analyst: string;
  viewer: string;
  /** `org`'s 60 days of sales (rising, a spike on day 40) with a comment for each day. */
  datasetId: string;
  /** A client of the app's database, for what no route shows. */
  db: Client;
  /** POST /v1/analyses{path}{query} as `key` (the analyst unless told otherwise). */
  post(
    body: unknown,
    query?: string,
    key?: string,
    headers?: Record<string, string>,
    path?: string,
  ): Response;
  /** GET `path` as `key` (the viewer unless told otherwise). */
  get(path: string, key?: string): Response;
  close(): Promise<void>;
}

/** Boots the app (queue, inline worker, builtin model) and uploads the dataset. */
export async function startAnalysesTest(): Promise<AnalysesTest> {
  const app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
  const factory = new Factory(app.app);
  const [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
  const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  const viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
  const lines = ['day,sales,comment'];
  for (let d = 0; d < 60; d++) {
    const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    const sales = 100 + 3 * d + ((d * 37) % 11) + (d === 40 ? 300 : 0);
    // Prose (distinct sentences), so the text agent reads it.
    const comment = d % 2 === 0 ? `great service on day ${d}` : `awful delay on day ${d}`;
    lines.push(`${day},${sales},${comment}`);
  }
  const uploaded = await uploadCsv(app, analyst, `${lines.join('\n')}\n`);
  const datasetId = String(uploaded.body.id);
  const db = new Client({ connectionString: app.database.url });
  await db.connect();
  return {
    app,
    org,
    other,
    analyst,
    viewer,
    datasetId,
    db,
    post: (body, query = '', key = analyst, headers = {}, path = '') =>
      call(app.baseUrl, 'POST', `/v1/analyses${path}${query}`, {
        headers: { 'x-api-key': key, ...headers },
        body,
      }),
    get: (path, key = viewer) => call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': key } }),
    close: async () => {
      await db.end();
      await app.close();
    },
  };
}
