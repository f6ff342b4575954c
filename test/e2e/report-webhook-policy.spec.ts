import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import ipaddr from 'ipaddr.js';
import { Client } from 'pg';
import { Factory } from '../support/factory';
import { type Json, ReportsClient } from '../support/reports';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Production's webhook policy (no private networks; plain http allowed here only so a test
 * receiver can listen): refused at creation where the URL alone shows it, and at delivery
 * where only the name's resolution does — and then the receiver hears nothing.
 */
describe('report webhooks under the production address policy', () => {
  let app: TestApp;
  let reports: ReportsClient;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1',
      },
    });
    const factory = new Factory(app.app);
    const home = await factory.newOrganization();
    const key = (await factory.newApiKey(home.organizationId, 'analyst')).key;
    reports = new ReportsClient(app.baseUrl, key);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });

  const definition = (webhookUrl: string): Json => ({
    name: 'Guarded',
    metrics: ['orders'],
    schedule: '0 6 * * *',
    timezone: 'UTC',
    period: 'day',
    formats: ['json'],
    webhookUrl,
  });

  it.each([
    'http://127.0.0.1:9/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:9/x',
    'http://[::ffff:127.0.0.1]:9/x',
    'http://localhost:9/x',
    'http://metadata.google.internal/computeMetadata/v1/',
  ])('refuses %s at creation with a 400 naming webhookUrl', async (url) => {
    const refused = await reports.signed('POST', '/v1/reports', definition(url));
    expect(refused.status).toBe(400);
    expect((refused.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'webhookUrl',
    ]);
  });

  it('refuses the same addresses when a report is changed to them', async () => {
    const report = await reports.create(definition('https://hooks.example.com/sightline'));
    const path = `/v1/reports/${report.id}`;
    const changed = await reports.signed('PATCH', path, { webhookUrl: receiver.url() });
    expect(changed.status).toBe(400);
    expect(String((changed.body.errors as Array<{ field: string }>)[0].field)).toBe('webhookUrl');
    expect((await reports.get(path)).body.webhook).toMatchObject({
      url: 'https://hooks.example.com/sightline',
    });
  });

  it('refuses at delivery a name that resolves to this machine', async () => {
    // The machine's own name passes creation (no DNS is asked then) and resolves to a
    // loopback or private address (/etc/hosts), which delivery must refuse.
    const name = hostname();
    const addresses = await lookup(name, { all: true });
    expect(addresses.length).toBeGreaterThan(0);
    // Never a public address: the app would connect to it if the check failed.
    for (const { address } of addresses) {
      expect(['loopback', 'private', 'uniqueLocal']).toContain(ipaddr.parse(address).range());
    }
    const report = await reports.create(definition(`http://${name}:${receiver.port}/hook`));
    const run = await reports.finished(await reports.run(report.id));
    expect(run).toMatchObject({
      status: 'failed',
      errorCode: 'webhook-refused',
      delivery: { status: 'failed', attempts: 1 },
    });
    expect(run.deliveries[0]).toMatchObject({ statusCode: null, outcome: 'refused' });
    expect(run.deliveries[0].error).toContain('forbidden range');
    expect(receiver.received).toEqual([]);
  });

  it('refuses at delivery a stored loopback name the creation check never saw', async () => {
    // A URL stored before the policy changed (or by an older version): delivery checks again.
    const report = await reports.create(definition('https://hooks.example.com/sightline'));
    const database = new Client({ connectionString: app.database.url });
    await database.connect();
    try {
      await database.query('UPDATE reports SET webhook_url = $1 WHERE id = $2', [
        `http://localhost:${receiver.port}/hook`,
        report.id,
      ]);
    } finally {
      await database.end();
    }
    const run = await reports.finished(await reports.run(report.id));
    expect(run).toMatchObject({ status: 'failed', errorCode: 'webhook-refused' });
    expect(run.deliveries[0]).toMatchObject({ statusCode: null, outcome: 'refused' });
    expect(run.deliveries[0].error).toContain('loopback');
    expect(receiver.received).toEqual([]);
  });
});
