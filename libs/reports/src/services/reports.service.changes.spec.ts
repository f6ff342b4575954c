import type { ProblemException } from '@app/common';
import type { AppConfig } from '@app/config';
import { UpdateReportDto } from '../dtos/report.dto';
import type { ReportEntity } from '../entities/report.entity';
import {
  analystOf,
  DATASET_OF_A,
  FakeAudit,
  FakeReportsRepository,
  ORG_A,
  ORG_B,
  reportEntity,
  reportsConfig,
  reportsServiceOver,
} from '../testing/fake-reports';
import { SECRET_ROTATION_OVERLAP_MS } from './reports.service';

const change = (fields: Partial<UpdateReportDto>): UpdateReportDto =>
  Object.assign(new UpdateReportDto(), fields);

/** 1 March 2027, 12:00 UTC: Berlin is at UTC+1 until the 28th. */
const NOW = new Date(Date.UTC(2027, 2, 1, 12));
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);
const HOUR_MS = 60 * 60 * 1000;

describe('ReportsService: changing reports', () => {
  let repository: FakeReportsRepository;
  let audit: FakeAudit;

  const serviceWith = (config?: AppConfig) => reportsServiceOver(repository, { audit, config });

  beforeEach(() => {
    repository = new FakeReportsRepository([]);
    audit = new FakeAudit();
  });

  describe('update', () => {
    const webhookUrl = 'https://hooks.example.com/in';
    const withWebhook = (fields: Partial<ReportEntity> = {}) =>
      reportEntity(ORG_A, {
        webhookUrl,
        webhookSecret: 'whsec_old',
        webhookPreviousSecret: 'whsec_older',
        webhookPreviousSecretUntil: new Date(NOW.getTime() + HOUR_MS),
        ...fields,
      });
    const update = (report: ReportEntity, fields: Partial<UpdateReportDto>, config?: AppConfig) => {
      repository.rows.push(report);
      return serviceWith(config).update(
        analystOf(report.organizationId),
        report.id,
        change(fields),
        undefined,
        NOW,
      );
    };

    it.each([
      ['a new schedule', { schedule: '30 9 * * *' }, new Date(Date.UTC(2027, 2, 2, 9, 30))],
      // 08:00 in New York is 13:00 UTC in March before its clocks change.
      ['a new zone', { timezone: 'America/New_York' }, new Date(Date.UTC(2027, 2, 1, 13))],
      ['enabling it again', { enabled: true }, new Date(Date.UTC(2027, 2, 2, 8))],
    ])('reschedules from now for %s, not catching up', async (_case, fields, nextDueAt) => {
      const report = reportEntity(ORG_A, {
        schedule: '0 8 * * *',
        enabled: !('enabled' in fields),
        scheduledThrough: new Date(Date.UTC(2027, 1, 1)),
      });
      await update(report, fields);
      expect(repository.stored(report.id)).toMatchObject({ scheduledThrough: NOW, nextDueAt });
    });

    it('keeps the cursor for other changes, and clears the next due time when disabled', async () => {
      const scheduledThrough = new Date(Date.UTC(2027, 1, 27, 9));
      const report = reportEntity(ORG_A, { scheduledThrough, nextDueAt: null });
      // The same schedule given again changes nothing about when it runs.
      const updated = await update(report, { name: 'Renamed', schedule: '0 8 * * *' });
      expect(repository.stored(report.id)).toMatchObject({
        name: 'Renamed',
        scheduledThrough,
        // The cursor's next due time: missed ones are the scheduler's to catch up.
        nextDueAt: new Date(Date.UTC(2027, 1, 28, 8)),
      });
      expect(updated.nextRuns[0]).toBe('2027-03-02T08:00:00+00:00');
      await serviceWith().update(analystOf(ORG_A), report.id, change({ enabled: false }));
      expect(repository.stored(report.id)).toMatchObject({ enabled: false, nextDueAt: null });
    });

    it('clears the webhook and every secret with webhookUrl null', async () => {
      const report = withWebhook({ webhookDisabledAt: NOW });
      const updated = await update(report, { webhookUrl: null });
      expect(repository.stored(report.id)).toMatchObject({
        webhookUrl: null,
        webhookSecret: null,
        webhookPreviousSecret: null,
        webhookPreviousSecretUntil: null,
        webhookDisabledAt: null,
      });
      expect(updated.webhook).toBeNull();
      expect(updated).not.toHaveProperty('webhookSecret');
    });

    it("makes a secret for a report's first webhook, shown once", async () => {
      const report = reportEntity(ORG_A);
      const updated = await update(report, { webhookUrl });
      expect(updated.webhookSecret).toMatch(SECRET);
      expect(repository.stored(report.id)).toMatchObject({
        webhookUrl,
        webhookSecret: updated.webhookSecret,
      });
    });

    it('enables a disabled webhook at a new URL, keeping the secret receivers hold', async () => {
      const report = withWebhook({ webhookDisabledAt: NOW });
      const updated = await update(report, { webhookUrl: 'https://hooks.example.com/v2' });
      expect(repository.stored(report.id)).toMatchObject({
        webhookUrl: 'https://hooks.example.com/v2',
        webhookDisabledAt: null,
        webhookSecret: 'whsec_old',
        webhookPreviousSecret: 'whsec_older',
      });
      expect(updated).not.toHaveProperty('webhookSecret');
      expect(updated.webhook).toMatchObject({ enabled: true, disabledAt: null });
    });

    it('enables a disabled webhook when its URL is set again, as the API documents', async () => {
      const report = withWebhook({ webhookDisabledAt: NOW });
      const updated = await update(report, { webhookUrl });
      expect(repository.stored(report.id)).toMatchObject({
        webhookUrl,
        webhookDisabledAt: null,
        webhookSecret: 'whsec_old',
      });
      expect(updated.webhook).toMatchObject({ enabled: true });
      expect(updated).not.toHaveProperty('webhookSecret');
    });

    it('refuses a bad schedule or webhook with a 400 naming it, changing nothing', async () => {
      const report = reportEntity(ORG_A, { name: 'Before' });
      const badSchedule = await rejection(
        update(report, { name: 'After', schedule: '61 * * * *' }),
      );
      expect((badSchedule as ProblemException).fieldErrors).toEqual([
        { field: 'schedule', message: expect.any(String) },
      ]);
      const strict = reportsConfig({ WEBHOOK_ALLOW_HTTP: 'false' });
      const badWebhook = await rejection(
        serviceWith(strict).update(
          analystOf(ORG_A),
          report.id,
          change({ webhookUrl: 'http://hooks.example.com/in' }),
        ),
      );
      expect((badWebhook as ProblemException).fieldErrors).toEqual([
        { field: 'webhookUrl', message: expect.any(String) },
      ]);
      expect(repository.stored(report.id)).toMatchObject({ name: 'Before', webhookUrl: null });
    });

    it('checks a new dataset, and removes it with datasetId null', async () => {
      const report = reportEntity(ORG_A);
      await update(report, { datasetId: DATASET_OF_A });
      expect(repository.stored(report.id).datasetId).toBe(DATASET_OF_A);
      const service = serviceWith();
      await service.update(analystOf(ORG_A), report.id, change({ datasetId: null }));
      expect(repository.stored(report.id).datasetId).toBeNull();
      const unknown = '44444444-4444-4444-8444-444444444444';
      const error = await rejection(
        service.update(analystOf(ORG_A), report.id, change({ datasetId: unknown })),
      );
      expect((error as ProblemException).fieldErrors).toEqual([
        { field: 'datasetId', message: expect.stringContaining(unknown) },
      ]);
    });

    it("answers 404 for another organization's report, changing nothing", async () => {
      const report = reportEntity(ORG_B, { name: 'Theirs' });
      repository.rows.push(report);
      const error = await rejection(
        serviceWith().update(analystOf(ORG_A), report.id, change({ name: 'Mine' })),
      );
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect(repository.stored(report.id).name).toBe('Theirs');
      expect(audit.records).toEqual([]);
    });
  });

  describe('rotateSecret', () => {
    it('answers 409 no-webhook for a report without one', async () => {
      const report = reportEntity(ORG_A);
      repository.rows.push(report);
      const error = await rejection(serviceWith().rotateSecret(analystOf(ORG_A), report.id));
      expect(error).toMatchObject({ status: 409, slug: 'no-webhook' });
    });

    it('makes a new secret and keeps the one before signing for 24 hours', async () => {
      const report = reportEntity(ORG_A, {
        webhookUrl: 'https://hooks.example.com/in',
        webhookSecret: 'whsec_current',
      });
      repository.rows.push(report);
      const rotated = await serviceWith().rotateSecret(analystOf(ORG_A), report.id, undefined, NOW);
      expect(rotated.webhookSecret).toMatch(SECRET);
      const until = new Date(NOW.getTime() + 24 * HOUR_MS);
      expect(SECRET_ROTATION_OVERLAP_MS).toBe(24 * HOUR_MS);
      expect(repository.stored(report.id)).toMatchObject({
        webhookSecret: rotated.webhookSecret,
        webhookPreviousSecret: 'whsec_current',
        webhookPreviousSecretUntil: until,
      });
      expect(audit.records.map((record) => record.action)).toEqual(['report.secret-rotated']);
    });

    it("answers 404 for another organization's report", async () => {
      const report = reportEntity(ORG_B, { webhookUrl: 'https://x.example/h', webhookSecret: 's' });
      repository.rows.push(report);
      const error = await rejection(serviceWith().rotateSecret(analystOf(ORG_A), report.id));
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect(repository.stored(report.id).webhookSecret).toBe('s');
    });
  });

  describe('delete', () => {
    it("deletes the organization's report and audits it; 404 for another's", async () => {
      const mine = reportEntity(ORG_A);
      const theirs = reportEntity(ORG_B);
      repository.rows.push(mine, theirs);
      const service = serviceWith();
      await expect(service.delete(analystOf(ORG_A), theirs.id)).rejects.toMatchObject({
        status: 404,
      });
      await service.delete(analystOf(ORG_A), mine.id);
      expect(repository.rows).toEqual([theirs]);
      expect(audit.records).toEqual([
        expect.objectContaining({
          action: 'report.deleted',
          target: { type: 'report', id: mine.id },
        }),
      ]);
      await expect(service.delete(analystOf(ORG_A), mine.id)).rejects.toMatchObject({
        status: 404,
      });
    });
  });
});
