import { Webhook } from 'standardwebhooks';
import { Factory } from '../support/factory';
import { until } from '../support/poll';
import { type Json, type ReportRun, ReportsClient } from '../support/reports';
import { startTestApp, type TestApp } from '../support/test-app';
import { type ReceivedRequest, WebhookReceiver } from '../support/webhook-receiver';

/**
 * A report's webhook over real HTTP: a receiver on this machine checks every delivery with
 * the independent `standardwebhooks` package, steers retries with its answers, and follows
 * the download links the payload carries.
 */
describe('report webhooks', () => {
  let app: TestApp;
  let reports: ReportsClient;
  let viewer: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1' } });
    const factory = new Factory(app.app);
    const home = await factory.newOrganization();
    reports = new ReportsClient(
      app.baseUrl,
      (await factory.newApiKey(home.organizationId, 'analyst')).key,
    );
    viewer = (await factory.newApiKey(home.organizationId, 'viewer')).key;
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await receiver.close();
  });

  const definition = (extra: Json = {}): Json => ({
    name: 'Daily orders',
    metrics: ['orders'],
    schedule: '0 6 * * *',
    timezone: 'Europe/Berlin',
    period: 'day',
    formats: ['csv', 'json'],
    webhookUrl: receiver.url(),
    ...extra,
  });

  /** The payload of a delivery the receiver got, after its signature verified with `secret`. */
  function verified(request: ReceivedRequest, secret: string): Json {
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    return new Webhook(secret).verify(request.body, request.headers) as Json;
  }

  /** Checks the payload of `run`'s delivery and that each of its links serves the document. */
  async function expectPayloadOf(payload: Json, run: ReportRun, formats: string[]) {
    expect(payload).toMatchObject({
      type: 'report.run.succeeded',
      reportId: run.reportId,
      runId: run.id,
      period: { start: run.periodStart, end: run.periodEnd, timezone: 'Europe/Berlin' },
    });
    expect(typeof payload.summary).toBe('string');
    expect(payload.summary).not.toBe('');
    const downloads = payload.downloads as Record<string, string>;
    expect(Object.keys(downloads).sort()).toEqual([...formats].sort());
    for (const format of formats) {
      // Without PUBLIC_URL the links are paths on the API.
      expect(downloads[format]).toBe(`/v1/report-runs/${run.id}/download?format=${format}`);
      const response = await fetch(`${app.baseUrl}${downloads[format]}`, {
        headers: { 'x-api-key': viewer },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(format);
    }
  }

  it('retries a 500 with the same message id and records each attempt', async () => {
    const report = await reports.create(definition());
    receiver.answer({ status: 500 }, { status: 500 });
    const runId = await reports.run(report.id);
    // Between the attempts (a second apart) a redelivery would start a second series.
    await until('the first attempt', async () =>
      (await reports.readRun(runId)).deliveries.length > 0 ? true : undefined,
    );
    const early = await reports.post(`/v1/report-runs/${runId}/redeliver`);
    expect(early.status).toBe(409);
    expect(early.body.type).toBe('/problems/delivery-in-progress');
    const run = await reports.finished(runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      errorCode: null,
      delivery: { status: 'succeeded', attempts: 3 },
    });
    expect(
      run.deliveries.map(({ attempt, statusCode, outcome }) => [attempt, statusCode, outcome]),
    ).toEqual([
      [1, 500, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of receiver.received) {
      await expectPayloadOf(verified(request, report.webhookSecret ?? ''), run, ['csv', 'json']);
    }
  });

  it('disables the webhook on a 410 and calls it no more', async () => {
    const report = await reports.create(definition());
    receiver.answer({ status: 410 });
    const run = await reports.finished(await reports.run(report.id));
    expect(run).toMatchObject({
      status: 'failed',
      errorCode: 'webhook-gone',
      delivery: { status: 'failed', attempts: 1 },
    });
    expect(run.deliveries[0]).toMatchObject({ statusCode: 410, outcome: 'gone' });
    const read = await reports.get(`/v1/reports/${report.id}`);
    expect(read.body.webhook).toMatchObject({ url: receiver.url(), enabled: false });

    const next = await reports.finished(await reports.run(report.id));
    expect(next).toMatchObject({ status: 'succeeded', delivery: { status: 'none', attempts: 0 } });
    expect(receiver.received).toHaveLength(1);

    // Nothing to redeliver to; the run keeps the reason it failed.
    const redeliver = await reports.post(`/v1/report-runs/${run.id}/redeliver`);
    expect(redeliver.status).toBe(409);
    expect(redeliver.body.type).toBe('/problems/no-webhook');
    expect(await reports.readRun(run.id)).toMatchObject({ errorCode: 'webhook-gone' });

    // The receiver is back at the same address: setting it again enables the webhook.
    const path = `/v1/reports/${report.id}`;
    const again = await reports.signed('PATCH', path, { webhookUrl: receiver.url() });
    expect(again.status).toBe(200);
    expect(again.body.webhook).toMatchObject({ enabled: true, disabledAt: null });
    expect(again.body).not.toHaveProperty('webhookSecret');
    const delivered = await reports.finished(await reports.run(report.id));
    expect(delivered.delivery).toEqual({ status: 'succeeded', attempts: 1 });
    expect(receiver.received).toHaveLength(2);
    verified(receiver.received[1], report.webhookSecret ?? '');
  });

  it('does not follow a redirect, and gives up after the retry schedule', async () => {
    const elsewhere = await WebhookReceiver.start();
    try {
      const redirect = { status: 302, headers: { location: elsewhere.url('/stolen') } };
      receiver.answer(redirect, redirect, redirect, redirect);
      const report = await reports.create(definition());
      const run = await reports.finished(await reports.run(report.id));
      expect(run).toMatchObject({
        status: 'failed',
        errorCode: 'delivery-failed',
        delivery: { status: 'failed', attempts: 4 },
      });
      expect(run.deliveries.map((attempt) => attempt.outcome)).toEqual([
        'retry',
        'retry',
        'retry',
        'abandoned',
      ]);
      for (const attempt of run.deliveries) {
        expect(attempt.statusCode).toBe(302);
        expect(attempt.error).toContain('not followed');
      }
      expect(receiver.received).toHaveLength(4);
      expect(elsewhere.received).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('signs with both the old and the new secret after a rotation', async () => {
    const report = await reports.create(definition());
    const rotated = await reports.signed('POST', `/v1/reports/${report.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = String(rotated.body.webhookSecret);
    const run = await reports.finished(await reports.run(report.id));
    expect(run.status).toBe('succeeded');
    const [request] = receiver.received;
    expect(request.headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [report.webhookSecret ?? '', newSecret]) {
      await expectPayloadOf(verified(request, secret), run, ['csv', 'json']);
    }
    // A secret that never belonged to the report does not verify: the check has teeth.
    const stranger = (await reports.create(definition())).webhookSecret ?? '';
    expect(() => new Webhook(stranger).verify(request.body, request.headers)).toThrow();
  });

  it('redelivers a delivered run, numbering the attempts on', async () => {
    const report = await reports.create(definition());
    const runId = await reports.run(report.id);
    expect((await reports.finished(runId)).delivery).toEqual({ status: 'succeeded', attempts: 1 });
    const again = await reports.post(`/v1/report-runs/${runId}/redeliver`);
    expect(again.status).toBe(202);
    const redelivered = await until('the redelivery to end', async () => {
      const run = await reports.readRun(runId);
      return run.deliveries.length === 2 && run.delivery.status !== 'pending' ? run : undefined;
    });
    expect(redelivered).toMatchObject({ status: 'succeeded', delivery: { status: 'succeeded' } });
    expect(redelivered.deliveries.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
    ]);
    expect(receiver.received).toHaveLength(2);
    for (const request of receiver.received) {
      await expectPayloadOf(verified(request, report.webhookSecret ?? ''), redelivered, [
        'csv',
        'json',
      ]);
    }

    const { webhookUrl: _none, ...withoutWebhook } = definition();
    const plain = await reports.create(withoutWebhook);
    const plainRun = await reports.run(plain.id);
    await reports.finished(plainRun);
    const refused = await reports.post(`/v1/report-runs/${plainRun}/redeliver`);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('/problems/no-webhook');
  });

  it('attaches the documents, base64, when the report asks', async () => {
    const report = await reports.create(definition({ attachDocument: true }));
    const run = await reports.finished(await reports.run(report.id));
    expect(run.status).toBe('succeeded');
    const payload = verified(receiver.received[0], report.webhookSecret ?? '');
    await expectPayloadOf(payload, run, ['csv', 'json']);
    const attachments = payload.attachments as Array<Record<string, string>>;
    expect(attachments.map((attachment) => attachment.format).sort()).toEqual(['csv', 'json']);
    for (const attachment of attachments) {
      const served = await fetch(
        `${app.baseUrl}/v1/report-runs/${run.id}/download?format=${attachment.format}`,
        { headers: { 'x-api-key': viewer } },
      );
      expect(attachment.contentType).toBe(served.headers.get('content-type'));
      expect(served.headers.get('content-disposition')).toContain(attachment.fileName);
      const body = Buffer.from(await served.arrayBuffer());
      expect(Buffer.from(attachment.base64, 'base64').equals(body)).toBe(true);
    }
  });
});
