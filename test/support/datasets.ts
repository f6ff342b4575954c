import { DATASET_ROWS_SCHEMA } from '@app/datasets';
import { Client } from 'pg';
import { call, Factory } from './factory';
import { startTestApp, type TestApp } from './test-app';

export type Json = Record<string, unknown>;

/** Uploads a CSV body (text/csv unless told otherwise) and returns status, headers and JSON. */
export async function uploadCsv(
  app: TestApp,
  key: string,
  body: string | Buffer,
  options: { query?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${app.baseUrl}/v1/datasets${options.query ?? ''}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': options.contentType ?? 'text/csv' },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Json };
}

/**
 * A dataset of `rows` rows of ~1 KB each (far larger than socket buffers, so an unread
 * export keeps its cursor open), written with SQL rather than uploaded, for speed. Answers
 * its id.
 */
export async function largeDataset(app: TestApp, key: string, rows: number): Promise<string> {
  const uploaded = await uploadCsv(app, key, 'text,n\nx,1\n');
  if (uploaded.status !== 201) throw new Error(`upload failed: ${uploaded.status}`);
  const datasetId = String(uploaded.body.id);
  const client = new Client({ connectionString: app.database.url });
  await client.connect();
  try {
    const stored = await client.query<{ table_name: string }>(
      'SELECT table_name FROM datasets WHERE id = $1',
      [datasetId],
    );
    const tableName = stored.rows[0]?.table_name ?? '';
    const columns = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [DATASET_ROWS_SCHEMA, tableName],
    );
    const [text, n] = columns.rows.slice(-2).map((row) => `"${row.column_name}"`);
    await client.query(
      `INSERT INTO "${DATASET_ROWS_SCHEMA}"."${tableName}" (${text}, ${n})
       SELECT repeat('x', 1000), g FROM generate_series(2, $1::int) g`,
      [rows],
    );
    await client.query('UPDATE datasets SET row_count = $2 WHERE id = $1', [datasetId, rows]);
  } finally {
    await client.end();
  }
  return datasetId;
}

/** Tables in the dataset rows schema, and dataset rows, as the app's database has them. */
export async function storedDatasets(
  app: TestApp,
): Promise<{ tables: string[]; datasets: number }> {
  const client = new Client({ connectionString: app.database.url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [DATASET_ROWS_SCHEMA],
    );
    const datasets = await client.query<{ count: string }>('SELECT count(*) FROM datasets');
    return {
      tables: tables.rows.map((row) => row.table_name),
      datasets: Number(datasets.rows[0]?.count),
    };
  } finally {
    await client.end();
  }
}

/** What the app logged about its ingest warm-up (IngestWarmUpJob). */
export function warmUpLogs(app: TestApp): string[] {
  return app.logs
    .map((line) => String(line.msg))
    .filter((message) => message.startsWith('Ingest warm-up'));
}

/** An app started with `env`, and the key of an analyst in a fresh organization. */
export async function startAnalystApp(
  env: Record<string, string>,
): Promise<{ app: TestApp; key: string }> {
  const app = await startTestApp({ env });
  const factory = new Factory(app.app);
  const org = await factory.newOrganization();
  return { app, key: (await factory.newApiKey(org.organizationId, 'analyst')).key };
}

/** GET with an API key. */
export function getWithKey(app: TestApp, key: string, pathname: string) {
  return call(app.baseUrl, 'GET', pathname, { headers: { 'x-api-key': key } });
}
