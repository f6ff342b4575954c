import {
  PageQueryDto,
  type ProblemException,
  RequestValidationException,
  RetryLaterException,
} from '@app/common';
import type { AppConfig } from '@app/config';
import { CreateReportDto } from '../dtos/report.dto';
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

const create = (fields: Partial<CreateReportDto>): CreateReportDto =>
  Object.assign(new CreateReportDto(), {
    name: 'Visits',
    metrics: [{ name: 'visits' }],
    schedule: '0 8 * * *',
    timezone: 'Europe/Berlin',
    ...fields,
  });

/** 1 March 2027, 12:00 UTC: Berlin is at UTC+1 until the 28th. */
const NOW = new Date(Date.UTC(2027, 2, 1, 12));
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('ReportsService: defining and reading reports', () => {
  let repository: FakeReportsRepository;
  let audit: FakeAudit;

  const serviceWith = (config?: AppConfig) => reportsServiceOver(repository, { audit, config });

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
      expect(repository.stored(created.id)).toMatchObject({
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
      expect(repository.stored(created.id)).toMatchObject({ enabled: false, nextDueAt: null });
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
      expect(repository.stored(one.id).formats).toEqual(['csv']);
      expect(repository.stored(many.id).formats).toEqual(['json', 'html']);
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
      expect(repository.stored(relaxed.id).webhookUrl).toBe('http://127.0.0.1:9999/in');
    });

    it('makes a secret with a webhook, shown once and stored', async () => {
      const created = await serviceWith().create(
        analystOf(ORG_A),
        create({ webhookUrl: 'https://hooks.example.com/in' }),
      );
      expect(created.webhookSecret).toMatch(SECRET);
      expect(repository.stored(created.id).webhookSecret).toBe(created.webhookSecret);
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
      const own = await service.create(analystOf(ORG_A), create({ datasetId: DATASET_OF_A }));
      expect(repository.stored(own.id).datasetId).toBe(DATASET_OF_A);
      const foreign = await rejection(
        service.create(analystOf(ORG_B), create({ datasetId: DATASET_OF_A })),
      );
      expect(foreign).toBeInstanceOf(RequestValidationException);
      expect((foreign as ProblemException).fieldErrors).toEqual([
        { field: 'datasetId', message: `there is no dataset ${DATASET_OF_A} in this organization` },
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

    it('refuses more than 10 dimensions on one metric', async () => {
      const dimensions = Object.fromEntries(
        Array.from({ length: 11 }, (_, index) => [`d${index}`, 'x']),
      );
      const error = await rejection(
        serviceWith().create(analystOf(ORG_A), create({ metrics: [{ name: 'm', dimensions }] })),
      );
      expect((error as ProblemException).fieldErrors).toEqual([
        { field: 'metrics[0].dimensions', message: 'at most 10 dimensions' },
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

  describe('get and list', () => {
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

    it("pages the organization's reports newest first; a disabled one has no next runs", async () => {
      const at = (day: number) => new Date(Date.UTC(2027, 0, day));
      const older = reportEntity(ORG_A, { createdAt: at(1) });
      const newer = reportEntity(ORG_A, { createdAt: at(2), enabled: false });
      repository.rows.push(older, newer, reportEntity(ORG_B, { createdAt: at(3) }));
      const page = (cursor?: string) =>
        serviceWith().list(ORG_A, Object.assign(new PageQueryDto(), { limit: 1, cursor }));
      const first = await page();
      expect(first.data.map((report) => [report.id, report.nextRuns.length])).toEqual([
        [newer.id, 0],
      ]);
      const rest = await page(first.nextCursor ?? undefined);
      expect(rest.data.map((report) => [report.id, report.nextRuns.length])).toEqual([
        [older.id, 5],
      ]);
      expect(rest.nextCursor).toBeNull();
    });
  });
});
