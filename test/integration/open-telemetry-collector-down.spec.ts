import { OpenTelemetryTracing } from '@app/observability';
import { startAnalysingApp } from '../support/analysing-app';
import { FakeOtlpCollector } from '../support/fake-otlp-collector';

// Its own file: only the first Nest app of a jest file gets its log lines captured.
describe('agent spans with an OTLP collector that is down', () => {
  it('analyses as usual, warns that the spans were lost, and shuts down', async () => {
    const gone = new FakeOtlpCollector();
    const endpoint = await gone.start();
    await gone.stop();
    const { app, analyse } = await startAnalysingApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    });
    try {
      const response = await analyse();
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('succeeded');
      await app.app.get(OpenTelemetryTracing).flush();

      const lines = app.logs.filter((line) => line.context === 'OpenTelemetryTracing');
      expect(lines).toEqual([
        expect.objectContaining({
          msg: `Spans are exported over OTLP/HTTP to ${endpoint}/v1/traces`,
        }),
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(
            new RegExp(`^\\d+ spans could not be sent to ${endpoint}/v1/traces: .*ECONNREFUSED`),
          ) as string,
        }),
      ]);
    } finally {
      await app.close();
    }
  });
});
