import type { TestApp } from './test-app';

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
