import { getWithKey, startAnalystApp, uploadCsv } from '../support/datasets';
import type { TestApp } from '../support/test-app';

/**
 * An export outlives the statement timeout: a cursor's statement lasts as long as its
 * reader takes, so only LONG_REQUEST_MAX_SECONDS (and the pace rule) may cut it off.
 */
describe('a dataset export read for longer than the statement timeout', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    ({ app, key } = await startAnalystApp({
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      LONG_REQUEST_MIN_BYTES_PER_SECOND: '1',
      RATE_LIMIT_EXPENSIVE_LIMIT: '10000',
    }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('streams to the end', async () => {
    const line = (i: number) => `${i},${'x'.repeat(400)}\n`;
    let csv = 'id,note\n';
    for (let i = 0; i < 20_000; i++) csv += line(i);
    const created = await uploadCsv(app, key, csv);
    expect(created.status).toBe(201);
    expect((await getWithKey(app, key, '/v1/datasets')).status).toBe(200);

    const response = await fetch(
      `${app.baseUrl}/v1/datasets/${String(created.body.id)}/export?format=csv`,
      { headers: { 'x-api-key': key } },
    );
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const started = Date.now();
    let bytes = 0;
    let failed: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        // ~8 MB at ~3 MB/s: the reader, not the database, sets the pace for ~2.5 s.
        await new Promise((resolve) => setTimeout(resolve, value.length / 3000));
      }
    } catch (error) {
      failed = error;
    }
    expect(failed).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(bytes).toBe(Buffer.byteLength(csv));
  }, 60_000);
});
