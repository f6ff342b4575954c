import { type OrganizationId } from '@app/tenancy';
import { type AnalysisContext, readOnlyQuery, type ToolQuery, toolScans } from '@app/analysis';
import { DatasetsService } from '@app/datasets';
import { DataSource } from 'typeorm';
import { type Json, uploadCsv } from './datasets';
import { call, Factory } from './factory';
import { startTestApp, type TestApp } from './test-app';

/** A word only the dataset holds: it may reach the agents' tools, never a span or a log. */
export const DATA_MARKER = 'wombat';

/**
 * A test app (extra `env`) with an organization, an analyst and a 30-day dataset of a
 * number and a text column; `analyse()` runs an analysis of it and waits for the result
 * (extra request `headers`: a `traceparent`, say).
 */
export async function startAnalysingApp(env: Record<string, string>): Promise<{
  app: TestApp;
  analyse: (headers?: Record<string, string>) => Promise<{ status: number; body: Json }>;
}> {
  const app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000', ...env } });
  const factory = new Factory(app.app);
  const org = await factory.newOrganization();
  const analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
  const lines = ['day,sales,comment'];
  for (let d = 0; d < 30; d++) {
    const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${day},${100 + 2 * d + (d % 3)},${d % 2 === 0 ? `great ${DATA_MARKER}` : 'slow'}`);
  }
  const uploaded = await uploadCsv(app, analyst, `${lines.join('\n')}\n`);
  expect(uploaded.status).toBe(201);
  const analyse = (headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'POST', '/v1/analyses?wait=30', {
      headers: { ...headers, 'x-api-key': analyst },
      body: { datasetId: uploaded.body.id },
    });
  return { app, analyse };
}

/**
 * A CSV uploaded by `key` (an analyst of `organizationId`) as the context an analysis runs
 * in: the stored dataset and read-only SQL with a statement timeout of `timeoutMs`.
 */
export async function analysisContextOf(
  app: TestApp,
  organizationId: OrganizationId,
  key: string,
  csv: string,
  timeoutMs = 10_000,
): Promise<AnalysisContext> {
  const uploaded = await uploadCsv(app, key, csv);
  expect(uploaded.status).toBe(201);
  const dataset = await app.app.get(DatasetsService).get(organizationId, String(uploaded.body.id));
  return { organizationId, dataset, ...toolScans(readOnlyQueryOf(app, timeoutMs)) };
}

/**
 * The read-only SQL the tools' repositories run on (`toolScans`), with a statement timeout
 * of `timeoutMs`: wrapped, it lets a test count, break or slow some of their statements.
 */
export function readOnlyQueryOf(app: TestApp, timeoutMs = 10_000): ToolQuery {
  return readOnlyQuery(app.app.get(DataSource), timeoutMs);
}
