import { ProblemException, RetryLaterException } from '@app/common';
import type { UnitOfWork } from '@app/database';
import { Logger } from '@nestjs/common';
import { CsvError } from '../csv/csv-errors';
import { analystOf, FakeAudit, FakeDatasetsRepository, ORG_A } from '../testing/fake-datasets';
import { FakeTables, inlineProfiles, uploadConfig, uploadOf } from '../testing/fake-uploads';
import { DatasetUploadService } from './dataset-upload.service';

const CSV = 'n\n1\n2\n';

describe('DatasetUploadService', () => {
  let tables: FakeTables;
  let datasets: FakeDatasetsRepository;
  let audit: FakeAudit;

  beforeAll(() => {
    // Each stored upload logs its size and time.
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  function service(env: Record<string, string> = {}): DatasetUploadService {
    tables = new FakeTables();
    datasets = new FakeDatasetsRepository();
    audit = new FakeAudit();
    return new DatasetUploadService(
      uploadConfig(env),
      datasets.asRepository(),
      tables.asRepository(),
      audit.asService(),
      inlineProfiles,
    );
  }

  describe('upload', () => {
    it("loads the file within the configured limits and stores the dataset as the caller's", async () => {
      const uploads = service({
        DATASET_MAX_BYTES: '5000',
        DATASET_MAX_COLUMNS: '7',
        DATASET_MAX_LINE_LENGTH: '300',
        DATASET_MAX_FIELD_LENGTH: '200',
      });
      const dataset = await uploads.upload(
        analystOf(ORG_A),
        uploadOf(CSV, { name: 'sales.csv', delimiter: ';', header: false }),
      );
      const [load] = tables.loads;
      expect(load?.options).toMatchObject({
        table: `"dataset_rows"."${dataset.tableName}"`,
        delimiter: ';',
        header: false,
        limits: { maxBytes: 5000, maxColumns: 7, maxLineLength: 300, maxFieldLength: 200 },
      });
      expect(load?.bytes).toBe(CSV.length);
      expect(dataset).toMatchObject({
        organizationId: ORG_A,
        name: 'sales.csv',
        tableName: `d_${dataset.id.replace(/-/g, '')}`,
        rowCount: 2,
        byteSize: CSV.length,
        delimiter: ';',
        hasHeader: false,
        createdBy: analystOf(ORG_A).id,
      });
      expect(datasets.calls).toEqual([{ method: 'insert', organizationId: ORG_A }]);
    });

    it('inserts the dataset row in the transaction that loaded its rows, then audits', async () => {
      const uploads = service();
      const meta = { ip: '203.0.113.7', userAgent: null, requestId: 'req-1' };
      const dataset = await uploads.upload(analystOf(ORG_A), uploadOf(CSV), meta);
      expect(tables.units).toEqual([{ id: 1, outcome: 'committed', kind: 'upload' }]);
      expect(datasets.insertedIn).toEqual([tables.units[0]]);
      expect(audit.records).toEqual([
        {
          actor: analystOf(ORG_A),
          action: 'dataset.created',
          outcome: 'success',
          target: { type: 'dataset', id: dataset.id },
          meta,
          details: { name: 'upload.csv', rowCount: 2, byteSize: CSV.length },
        },
      ]);
    });

    it.each([
      [
        'a broken file',
        new CsvError('ragged-row', 'Line 3 has 2 fields', 3),
        400,
        'csv-ragged-row',
      ],
      ['a file over a limit', new CsvError('too-large', 'Over 5000 bytes'), 413, 'csv-too-large'],
      ['bytes that are not text', new CsvError('not-utf8', 'Not UTF-8'), 415, 'csv-not-utf8'],
    ])('answers %s with its csv-* problem and stores nothing', async (_, error, status, slug) => {
      const uploads = service();
      tables.failWith = error;
      const refused = await uploads
        .upload(analystOf(ORG_A), uploadOf(CSV))
        .catch((caught: unknown) => caught);
      expect(refused).toBeInstanceOf(ProblemException);
      expect(refused).toMatchObject({ status, slug, message: error.message });
      expect(tables.units[0]?.outcome).toBe('rolled back');
      expect(datasets.rows).toEqual([]);
      expect(audit.records).toEqual([]);
    });

    it('answers 400 upload-interrupted when the client went away mid-file', async () => {
      const uploads = service();
      tables.failWith = new Error('aborted');
      await expect(
        uploads.upload(analystOf(ORG_A), uploadOf(CSV, { clientGone: () => true })),
      ).rejects.toMatchObject({ status: 400, slug: 'upload-interrupted' });
    });

    it('keeps the 4xx of a malformed multipart body as invalid-upload', async () => {
      const uploads = service();
      tables.failWith = Object.assign(new Error('Unexpected end of form'), { statusCode: 400 });
      await expect(uploads.upload(analystOf(ORG_A), uploadOf(CSV))).rejects.toMatchObject({
        status: 400,
        slug: 'invalid-upload',
        message: 'Unexpected end of form',
      });
    });

    it('lets an unexpected failure through as it is (a 500, logged)', async () => {
      const uploads = service();
      const failure = Object.assign(new Error('connection reset'), { statusCode: 502 });
      tables.failWith = failure;
      await expect(uploads.upload(analystOf(ORG_A), uploadOf(CSV))).rejects.toBe(failure);
    });

    it('refuses an upload past the queue with 503 upload-queue-full and Retry-After', async () => {
      const uploads = service({
        DATASET_UPLOAD_CONCURRENCY: '1',
        DATASET_UPLOAD_QUEUE_LENGTH: '1',
      });
      tables.hold();
      const loading = uploads.upload(analystOf(ORG_A), uploadOf(CSV));
      const waiting = uploads.upload(analystOf(ORG_A), uploadOf(CSV));
      const refused = await uploads
        .upload(analystOf(ORG_A), uploadOf(CSV))
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RetryLaterException);
      expect(refused).toMatchObject({
        status: 503,
        slug: 'upload-queue-full',
        retryAfterSeconds: 10,
      });
      tables.release();
      await Promise.all([loading, waiting]);
      expect(datasets.rows).toHaveLength(2);
    });
  });

  describe('uploadInTransaction', () => {
    it("stores in the caller's transaction, opens none and writes no audit record yet", async () => {
      const uploads = service();
      const callers = { id: 'caller' } as unknown as UnitOfWork;
      const dataset = await uploads.uploadInTransaction(callers, analystOf(ORG_A), uploadOf(CSV));
      expect(tables.units).toEqual([]);
      expect(datasets.insertedIn).toEqual([callers]);
      expect(audit.records).toEqual([]);
      await uploads.recordCreated(analystOf(ORG_A), dataset);
      expect(audit.records.map((record) => record.action)).toEqual(['dataset.created']);
    });

    it('maps a broken file to its problem, as an upload would', async () => {
      const uploads = service();
      tables.failWith = new CsvError('header-only', 'Only a header');
      await expect(
        uploads.uploadInTransaction({} as UnitOfWork, analystOf(ORG_A), uploadOf('n\n')),
      ).rejects.toMatchObject({ status: 400, slug: 'csv-header-only' });
    });
  });

  it('rehearses a load with a header in a transaction that is rolled back, storing no dataset', async () => {
    const uploads = service();
    await expect(uploads.rehearse(uploadOf(CSV).source)).resolves.toBe(2);
    expect(tables.units).toEqual([{ id: 1, outcome: 'rolled back', kind: 'rehearsal' }]);
    expect(tables.loads[0]?.options).toMatchObject({
      table: expect.stringMatching(/^"dataset_rows"\."warm_up_[0-9a-f]{32}"$/),
      header: true,
    });
    expect(datasets.calls).toEqual([]);
    expect(audit.records).toEqual([]);
  });
});
