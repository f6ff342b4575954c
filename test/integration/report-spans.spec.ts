import { OpenTelemetryTracing } from '@app/observability';
import { Factory } from '../support/factory';
import { FakeOtlpCollector } from '../support/fake-otlp-collector';
import { until } from '../support/poll';
import { ReportsClient } from '../support/reports';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/** A report run as OpenTelemetry sees it: one span per run, its deliveries as children. */
describe('report spans to an OpenTelemetry collector', () => {
  const collector = new FakeOtlpCollector();
  let app: TestApp;
  let receiver: WebhookReceiver;
  let reports: ReportsClient;

  beforeAll(async () => {
    const endpoint = await collector.start();
    receiver = await WebhookReceiver.start();
    app = await startTestApp({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, WEBHOOK_RETRY_SCHEDULE_SECONDS: '1' },
    });
    const home = await new Factory(app.app).newOrganization();
    reports = new ReportsClient(app.baseUrl, home.adminKey);
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
    await collector.stop();
  });

  it('traces the run from the request that asked for it, each delivery attempt a child', async () => {
    // The first attempt fails, so the run has two delivery spans.
    receiver.answer({ status: 503 });
    const report = await reports.create({
      name: 'Traced',
      metrics: ['m'],
      schedule: '0 8 * * *',
      timezone: 'UTC',
      formats: ['json'],
      webhookUrl: receiver.url(),
    });
    const runId = await reports.run(report.id);
    const run = await reports.finished(runId);
    expect(run.status).toBe('succeeded');

    const spans = await until('the run and its two deliveries to be exported', async () => {
      await app.app.get(OpenTelemetryTracing).flush();
      const ofReports = collector.spans.filter((span) => span.scope === 'sightline.reports');
      return ofReports.length >= 3 ? ofReports : undefined;
    });
    const runSpans = spans.filter((span) => span.name === 'report.run');
    const deliveries = spans.filter((span) => span.name === 'report.delivery');
    expect(runSpans).toHaveLength(1);
    expect(deliveries).toHaveLength(2);
    const [runSpan] = runSpans;
    expect(runSpan?.values).toMatchObject({ 'report.id': report.id, 'report.run.id': runId });
    for (const delivery of deliveries) {
      expect(delivery.traceId).toBe(runSpan?.traceId);
      expect(delivery.parentSpanId).toBe(runSpan?.spanId);
    }
    expect(deliveries.map((span) => span.values['http.response.status_code']).sort()).toEqual([
      200, 503,
    ]);
    // The run continues the trace of the request that asked for it.
    const request = collector.spans.find(
      (span) => span.scope === 'sightline.http' && span.spanId === runSpan?.parentSpanId,
    );
    expect(request?.traceId).toBe(runSpan?.traceId);
  });
});
