import { storedDatasets, uploadCsv, warmUpLogs } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

// One app per file: a later app of the same Jest file does not get its log lines captured
// (nestjs-pino builds one logger per process, on the first app's destination), and these
// tests read them.
describe('the ingest warm-up at start-up', () => {
  describe('when it runs', () => {
    let app: TestApp;

    beforeAll(async () => {
      // 8 MiB asked for, but uploads are limited to 512 KiB: the warm-up keeps within it.
      app = await startTestApp({
        env: {
          DATASET_WARM_UP_BYTES: String(8 * 1024 ** 2),
          DATASET_MAX_BYTES: String(512 * 1024),
        },
      });
    });
    afterAll(async () => {
      await app.close();
    });

    it('loads the generated file before the API listens, and keeps nothing of it', async () => {
      const [message] = warmUpLogs(app);
      expect(message).toMatch(/^Ingest warm-up: \d+ rows in \d+ ms$/);
      const rows = Number(/(\d+) rows/.exec(message ?? '')?.[1]);
      expect(rows).toBeGreaterThan(3000); // ~5,700 rows in 512 KiB, ~90,000 in 8 MiB
      expect(rows).toBeLessThan(10_000);
      expect(await storedDatasets(app)).toEqual({ tables: [], datasets: 0 });
    });

    it('leaves the upload path (and its profile thread) ready for real uploads', async () => {
      const key = (await new Factory(app.app).newOrganization()).adminKey;
      const created = await uploadCsv(app, key, 'n,day\n1,2026-01-02\n3,\n');
      expect(created.status).toBe(201);
      const profile = await call(
        app.baseUrl,
        'GET',
        `/v1/datasets/${String(created.body.id)}/profile`,
        {
          headers: { 'x-api-key': key },
        },
      );
      expect(profile.status).toBe(200);
      expect(JSON.stringify(profile.body)).toContain('"mean":2');
      expect((await storedDatasets(app)).tables).toHaveLength(1);
    });
  });
});
