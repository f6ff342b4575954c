import { loadConfig } from './load-config';
import { problemsOf } from './testing/config-problems';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://sightline:pw@db.internal:5432/sightline',
  JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
};

describe('loadConfig: reports and webhooks', () => {
  it('delivers webhooks only to public https addresses in production unless told otherwise', () => {
    expect(loadConfig(production).webhooks).toEqual({
      allowPrivateNetworks: false,
      allowHttp: false,
      timeoutMs: 15_000,
      retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000],
    });
    const relaxed = loadConfig({
      ...production,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_ALLOW_HTTP: 'yes',
    });
    expect(relaxed.webhooks).toMatchObject({ allowPrivateNetworks: true, allowHttp: true });
  });

  it('lets development and test deliver to receivers on this machine', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig({ NODE_ENV }).webhooks).toMatchObject({
        allowPrivateNetworks: true,
        allowHttp: true,
      });
    }
  });

  it('maps the report settings to milliseconds and trims the public URL', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      REPORT_TICK_SECONDS: '2',
      REPORT_STALE_SECONDS: '5',
      REPORT_TIMEOUT_SECONDS: '30',
      PUBLIC_URL: 'https://sightline.example.com/',
    });
    expect(config.reports).toMatchObject({
      tickMs: 2000,
      staleAfterMs: 5000,
      timeoutMs: 30_000,
      catchUpLimit: 100,
      retentionDays: 90,
      publicUrl: 'https://sightline.example.com',
    });
    expect(loadConfig({ NODE_ENV: 'test' }).reports.publicUrl).toBeUndefined();
  });

  it('names each report setting that is out of range', () => {
    expect(
      problemsOf({
        NODE_ENV: 'test',
        REPORT_TICK_SECONDS: '0',
        REPORT_DOCUMENT_MAX_BYTES: '10',
        PUBLIC_URL: 'ftp://x',
        WEBHOOK_ALLOW_HTTP: 'maybe',
        WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,0,30',
      }),
    ).toEqual([
      'REPORT_TICK_SECONDS: must be at least 1',
      'REPORT_DOCUMENT_MAX_BYTES: must be at least 1024',
      'PUBLIC_URL: must be an http:// or https:// URL',
      'WEBHOOK_ALLOW_HTTP: must be one of true, false, 1, 0, yes, no',
      'WEBHOOK_RETRY_SCHEDULE_SECONDS: must be a comma list of whole seconds from 1, e.g. 5,300,1800',
    ]);
  });
});
