import { storedDatasets, warmUpLogs } from '../support/datasets';
import { startTestApp } from '../support/test-app';

// Its own file: a later app of the same Jest file does not get its log lines captured
// (nestjs-pino builds one logger per process, on the first app's destination), and this
// test reads them.
describe('the ingest warm-up at start-up, when it fails', () => {
  it('is logged, and the API starts anyway with nothing stored', async () => {
    // The generated file has 8 columns: over this limit, its load fails like a bad upload.
    const app = await startTestApp({
      env: { DATASET_WARM_UP_BYTES: String(64 * 1024), DATASET_MAX_COLUMNS: '4' },
    });
    try {
      expect(warmUpLogs(app)).toEqual([
        expect.stringMatching(/^Ingest warm-up failed \(the first upload will be slower\): .*4/),
      ]);
      expect(await storedDatasets(app)).toEqual({ tables: [], datasets: 0 });
      const health = await fetch(`${app.baseUrl}/health/ready`);
      expect(health.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
