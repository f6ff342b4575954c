import {
  type ProblemException,
  RequestValidationException,
  RetryLaterException,
} from '@app/common';
import type { AppConfig } from '@app/config';
import { CreateReportDto, UpdateReportDto } from '../dtos/report.dto';
import type { ReportEntity } from '../entities/report.entity';
import {
  analystOf,
  datasetsOf,
  FakeAudit,
  FakeReportsRepository,
  ORG_A,
  ORG_B,
  reportEntity,
  reportsConfig,
} from '../testing/fake-reports';
import { ReportsService, SECRET_ROTATION_OVERLAP_MS } from './reports.service';

const create = (fields: Partial<CreateReportDto>): CreateReportDto =>
  Object.assign(new CreateReportDto(), {
    name: 'Visits',
    metrics: [{ name: 'visits' }],
    schedule: '0 8 * * *',
    timezone: 'Europe/Berlin',
    ...fields,
  });
const change = (fields: Partial<UpdateReportDto>): UpdateReportDto =>
  Object.assign(new UpdateReportDto(), fields);

const DATASET = '33333333-3333-4333-8333-333333333333';
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
/** 1 March 2027, 12:00 UTC: Berlin is at UTC+1 until the 28th. */
const NOW = new Date(Date.UTC(2027, 2, 1, 12));
const HOUR_MS = 60 * 60 * 1000;

const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('ReportsService', () => {
  let repository: FakeReportsRepository;
  let audit: FakeAudit;

  const serviceWith = (config: AppConfig = reportsConfig()) =>
    new ReportsService(
      repository.asRepository(),
      datasetsOf([{ organizationId: ORG_A, id: DATASET }]),
      audit.asService(),
      config,
    );
  const stored = (id: string) => repository.stored(id);

  beforeEach(() => {
    repository = new FakeReportsRepository([]);
    audit = new FakeAudit();
  });

  describe('create', () => {
    it('stores the defaults and schedules the first due time after now in its zone', async () => {
      const created = await serviceWith().create(
        analystOf(ORG_A),
        create({ schedule: ' 0 8 * * * ' }),
        undefined,
        NOW,
      );
      expect(stored(created.id)).toMatchObject({
        organizationId: ORG_A,
        name: 'Visits',
        metrics: [{ name: 'visits', dimensions: {}, aggregate: 'avg' }],
        datasetId: null,
        period: 'day',
        schedule: '0 8 * * *',
        timezone: 'Europe/Berlin',
        catchUp: 'latest',
        formats: ['pdf'],
        webhookUrl: null,
        webhookSecret: null,
        attachDocument: false,
        enabled: true,
        scheduledThrough: NOW,
        nextDueAt: new Date(Date.UTC(2027, 2, 2, 7)),
        createdBy: analystOf(ORG_A).id,
      });
      expect(created.nextRuns).toEqual([
        '2027-03-02T08:00:00+01:00',
        '2027-03-03T08:00:00+01:00',
        '2027-03-04T08:00:00+01:00',
        '2027-03-05T08:00:00+01:00',
        '2027-03-06T08:00:00+01:00',
      ]);
      // No webhook, no secret.
      expect(created).not.toHaveProperty('webhookSecret');
      expect(created.webhook).toBeNull();
      expect(audit.records).toEqual([
        expect.objectContaining({
          action: 'report.created',
          target: { type: 'report', id: created.id },
        }),
      ]);
    });

    it('counts and inserts under the organization lock, in one transaction', async () => {
      await serviceWith().create(analystOf(ORG_A), create({}), undefined, NOW);
      const [unit] = repository.units;
      expect(repository.units).toEqual([{ id: 1, outcome: 'committed' }]);
      expect(repository.locks).toEqual([{ organizationId: ORG_A, work: unit }]);
      expect(repository.writes).toEqual([{ method: 'insert', work: unit }]);
    });

    it('schedules nothing for a report created disabled', async () => {
      const created = await serviceWith().create(
        analystOf(ORG_A),
        create({ enabled: false }),
        undefined,
        NOW,
      );
      expect(stored(created.id)).toMatchObject({ enabled: false, nextDueAt: null });
      expect(created.nextRuns).toEqual([]);
    });

    it.each([
      ['schedule', { schedule: 'every morning' }],
      ['schedule', { schedule: '0 0 31 2 *' }],
      ['timezone', { timezone: 'Mars/Olympus_Mons' }],
    ])('refuses a bad %s with a 400 naming it, storing nothing', async (field, fields) => {
      const error = await rejection(serviceWith().create(analystOf(ORG_A), create(fields)));
      expect(error).toBeInstanceOf(RequestValidationException);
      expect((error as ProblemException).fieldErrors).toEqual([
        { field, message: expect.any(String) },
      ]);
      expect(repository.rows).toEqual([]);
    });

    it('takes format or formats, not both', async () => {
      const service = serviceWith();
      const both = await rejection(
        service.create(analystOf(ORG_A), create({ format: 'csv', formats: ['csv', 'json'] })),
      );
      expect(both).toBeInstanceOf(RequestValidationException);
      expect((both as ProblemException).fieldErrors).toEqual([
        { field: 'format', message: 'give format or formats, not both' },
      ]);
      const one = await service.create(analystOf(ORG_A), create({ format: 'csv' }));
      const many = await service.create(analystOf(ORG_A), create({ formats: ['json', 'html'] }));
      expect(stored(one.id).formats).toEqual(['csv']);
      expect(stored(many.id).formats).toEqual(['json', 'html']);
    });

    it('checks the webhook URL against the configured policy', async () => {
      const strict = serviceWith(
        reportsConfig({ WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }),
      );
      for (const webhookUrl of ['http://hooks.example.com/in', 'https://127.0.0.1/in']) {
        const error = await rejection(strict.create(analystOf(ORG_A), create({ webhookUrl })));
        expect(error).toBeInstanceOf(RequestValidationException);
        expect((error as ProblemException).fieldErrors).toEqual([
          { field: 'webhookUrl', message: expect.any(String) },
        ]);
      }
      expect(repository.rows).toEqual([]);
      // The test environment's policy lets a receiver on this machine be called.
      const relaxed = await serviceWith().create(
        analystOf(ORG_A),
        create({ webhookUrl: 'http://127.0.0.1:9999/in' }),
      );
      expect(stored(relaxed.id).webhookUrl).toBe('http://127.0.0.1:9999/in');
    });

    it('makes a secret with a webhook, shown once and stored', async () => {
      const created = await serviceWith().create(
        analystOf(ORG_A),
        create({ webhookUrl: 'https://hooks.example.com/in' }),
      );
      expect(created.webhookSecret).toMatch(SECRET);
      expect(stored(created.id).webhookSecret).toBe(created.webhookSecret);
      expect(created.webhook).toEqual({
        url: 'https://hooks.example.com/in',
        enabled: true,
        disabledAt: null,
        previousSecretValidUntil: null,
      });
      expect(JSON.stringify(audit.records)).not.toContain(created.webhookSecret);
    });

    it('takes a dataset of the organization only, else a 400 naming datasetId', async () => {
      const service = serviceWith();
      const own = await service.create(analystOf(ORG_A), create({ datasetId: DATASET }));
      expect(stored(own.id).datasetId).toBe(DATASET);
      const foreign = await rejection(
        service.create(analystOf(ORG_B), create({ datasetId: DATASET })),
      );
      expect(foreign).toBeInstanceOf(RequestValidationException);
      expect((foreign as ProblemException).fieldErrors).toEqual([
        { field: 'datasetId', message: `there is no dataset ${DATASET} in this organization` },
      ]);
    });

    it('names each bad dimension of each metric', async () => {
      const error = await rejection(
        serviceWith().create(
          analystOf(ORG_A),
          create({
            metrics: [
              { name: 'ok', dimensions: { region: 'eu' } },
              { name: 'bad', dimensions: { 'no spaces': 'x', count: 3 as unknown as string } },
            ],
          }),
        ),
      );
      expect((error as ProblemException).fieldErrors).toEqual([
        { field: 'metrics[1].dimensions.no spaces', message: 'is not a dimension key' },
        { field: 'metrics[1].dimensions.count', message: 'must be a string' },
      ]);
    });

    it("refuses one over the organization's limit with 429 report-limit, counting its own only", async () => {
      const service = serviceWith(reportsConfig({ REPORTS_PER_ORGANIZATION: '2' }));
      repository.rows.push(reportEntity(ORG_A), reportEntity(ORG_B), reportEntity(ORG_B));
      await service.create(analystOf(ORG_A), create({}));
      const error = await rejection(service.create(analystOf(ORG_A), create({})));
      expect(error).toBeInstanceOf(RetryLaterException);
      expect(error).toMatchObject({ status: 429, slug: 'report-limit', retryAfterSeconds: 3600 });
      expect(repository.rows.filter((row) => row.organizationId === ORG_A)).toHaveLength(2);
      expect(repository.units.at(-1)?.outcome).toBe('rolled back');
      expect(audit.records).toHaveLength(1);
    });
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
      expect(stored(report.id)).toMatchObject({ scheduledThrough: NOW, nextDueAt });
    });

    it('keeps the cursor for other changes, and clears the next due time when disabled', async () => {
      const scheduledThrough = new Date(Date.UTC(2027, 1, 27, 9));
      const report = reportEntity(ORG_A, { scheduledThrough, nextDueAt: null });
      // The same schedule given again changes nothing about when it runs.
      const updated = await update(report, { name: 'Renamed', schedule: '0 8 * * *' });
      expect(stored(report.id)).toMatchObject({
        name: 'Renamed',
        scheduledThrough,
        // The cursor's next due time: missed ones are the scheduler's to catch up.
        nextDueAt: new Date(Date.UTC(2027, 1, 28, 8)),
      });
      expect(updated.nextRuns[0]).toBe('2027-03-02T08:00:00+00:00');
      await serviceWith().update(analystOf(ORG_A), report.id, change({ enabled: false }));
      expect(stored(report.id)).toMatchObject({ enabled: false, nextDueAt: null });
    });

    it('clears the webhook and every secret with webhookUrl null', async () => {
      const report = withWebhook({ webhookDisabledAt: NOW });
      const updated = await update(report, { webhookUrl: null });
      expect(stored(report.id)).toMatchObject({
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
      expect(stored(report.id)).toMatchObject({ webhookUrl, webhookSecret: updated.webhookSecret });
    });

    it('enables a disabled webhook at a new URL, keeping the secret receivers hold', async () => {
      const report = withWebhook({ webhookDisabledAt: NOW });
      const updated = await update(report, { webhookUrl: 'https://hooks.example.com/v2' });
      expect(stored(report.id)).toMatchObject({
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
      expect(stored(report.id)).toMatchObject({
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
      expect(stored(report.id)).toMatchObject({ name: 'Before', webhookUrl: null });
    });

    it('checks a new dataset, and removes it with datasetId null', async () => {
      const report = reportEntity(ORG_A);
      await update(report, { datasetId: DATASET });
      expect(stored(report.id).datasetId).toBe(DATASET);
      const service = serviceWith();
      await service.update(analystOf(ORG_A), report.id, change({ datasetId: null }));
      expect(stored(report.id).datasetId).toBeNull();
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
      expect(stored(report.id).name).toBe('Theirs');
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
      expect(stored(report.id)).toMatchObject({
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
      expect(stored(report.id).webhookSecret).toBe('s');
    });
  });

  describe('get and delete', () => {
    it("answers the organization's report with its next runs; 404 for another's", async () => {
      const mine = reportEntity(ORG_A, { timezone: 'Asia/Tokyo' });
      const theirs = reportEntity(ORG_B);
      repository.rows.push(mine, theirs);
      const service = serviceWith();
      const got = await service.get(ORG_A, mine.id, NOW);
      expect(got).toMatchObject({ id: mine.id, timezone: 'Asia/Tokyo' });
      expect(got.nextRuns[0]).toBe('2027-03-02T08:00:00+09:00');
      expect(got).not.toHaveProperty('organizationId');
      await expect(service.get(ORG_A, theirs.id)).rejects.toMatchObject({
        status: 404,
        slug: 'not-found',
      });
    });

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
