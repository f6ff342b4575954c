import { Client } from 'pg';
import { call, Factory, type TestOrganization } from './factory';
import { startTestApp, type TestApp } from './test-app';

export type Json = Record<string, unknown>;
export interface Metric {
  id: string;
  name: string;
  value: number;
  unit: string | null;
  dimensions: Record<string, string>;
  observedAt: string;
  source: string;
  datasetId: string | null;
  analysisId: string | null;
}
export interface Point {
  t: string;
  value: number | null;
  group?: string | null;
  other?: boolean;
}

export const DAY = 86_400_000;

/** percentile_cont: linear interpolation between the closest ranks of the sorted values. */
export function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower];
  return low + (sorted[upper] - low) * (position - lower);
}

export function aggregate(values: number[], agg: string): number | null {
  if (agg === 'count') return values.length;
  if (values.length === 0) return null;
  switch (agg) {
    case 'avg':
      return values.reduce((sum, x) => sum + x, 0) / values.length;
    case 'sum':
      return values.reduce((sum, x) => sum + x, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'p50':
      return percentileCont(values, 0.5);
    case 'p95':
      return percentileCont(values, 0.95);
  }
  throw new Error(agg);
}

/** An API with two organizations and keys for every writing and reading role of the first. */
export interface MetricsTest {
  app: TestApp;
  org: TestOrganization;
  other: TestOrganization;
  analyst: string;
  viewer: string;
  service: string;
  db: Client;
  write(metrics: unknown, key?: string): ReturnType<typeof call>;
  get(path: string, key?: string): ReturnType<typeof call>;
  /** Metrics stored, all organizations. */
  stored(): Promise<number>;
  close(): Promise<void>;
}

export async function startMetricsTest(env: Record<string, string> = {}): Promise<MetricsTest> {
  const app = await startTestApp({
    env: { RATE_LIMIT_DEFAULT_LIMIT: '100000', RATE_LIMIT_EXPENSIVE_LIMIT: '10000', ...env },
  });
  const factory = new Factory(app.app);
  const [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
  const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  const viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
  const service = (await factory.newApiKey(org.organizationId, 'service')).key;
  const db = new Client({ connectionString: app.database.url });
  await db.connect();
  return {
    app,
    org,
    other,
    analyst,
    viewer,
    service,
    db,
    write: (metrics, key = service) =>
      call(app.baseUrl, 'POST', '/v1/metrics', {
        headers: { 'x-api-key': key },
        body: { metrics },
      }),
    get: (path, key = viewer) => call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': key } }),
    stored: async () => {
      const result = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics');
      return result.rows[0]?.n ?? -1;
    },
    close: async () => {
      await db.end();
      await app.close();
    },
  };
}
