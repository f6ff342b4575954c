import {
  type IdempotencyService,
  type StreamedIdempotencyOutcome,
  StreamedIdempotencyService,
} from '@app/idempotency';
import { Logger } from '@nestjs/common';
import type { DatasetEntity } from '../entities/dataset.entity';
import {
  analystOf,
  FakeAudit,
  FakeDatasetsRepository,
  ORG_A,
  ORG_B,
} from '../testing/fake-datasets';
import { FakeTables, inlineProfiles, uploadConfig, uploadOf } from '../testing/fake-uploads';
import { DatasetUploadService } from './dataset-upload.service';
import { IdempotentUploadsService } from './idempotent-uploads.service';

interface StoredKey {
  requestHash?: string;
  status?: number;
  body?: unknown;
}

/** Keys in memory, by organization and key, as IdempotencyService keeps them. */
class MemoryKeys implements Pick<
  IdempotencyService,
  'begin' | 'beginStreamed' | 'complete' | 'release'
> {
  readonly keys = new Map<string, StoredKey>();
  readonly calls: Array<{ method: string; organizationId: string }> = [];

  begin(): never {
    throw new Error('uploads begin streamed');
  }

  beginStreamed(organizationId: string, key: string): Promise<StreamedIdempotencyOutcome> {
    this.calls.push({ method: 'beginStreamed', organizationId });
    const stored = this.keys.get(`${organizationId}/${key}`);
    if (stored === undefined) {
      this.keys.set(`${organizationId}/${key}`, {});
      return Promise.resolve({ kind: 'first' });
    }
    return Promise.resolve({
      kind: 'compare',
      requestHash: stored.requestHash ?? '',
      status: stored.status ?? 0,
      body: stored.body,
    });
  }

  complete(
    organizationId: string,
    key: string,
    status: number,
    body: unknown,
    requestHash?: string,
  ): Promise<void> {
    this.calls.push({ method: 'complete', organizationId });
    this.keys.set(`${organizationId}/${key}`, { status, body, requestHash });
    return Promise.resolve();
  }

  release(organizationId: string, key: string): Promise<void> {
    this.calls.push({ method: 'release', organizationId });
    this.keys.delete(`${organizationId}/${key}`);
    return Promise.resolve();
  }

  /** What IdempotentUploadsService is given: it calls only the methods above. */
  asService(): IdempotencyService {
    return this as unknown as IdempotencyService;
  }
}

const meta = { ip: '203.0.113.7', userAgent: null, requestId: 'req-1' };
const respond = (dataset: DatasetEntity) => ({ id: dataset.id, name: dataset.name });

describe('IdempotentUploadsService', () => {
  let tables: FakeTables;
  let datasets: FakeDatasetsRepository;
  let keys: MemoryKeys;
  let uploads: IdempotentUploadsService;

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    const config = uploadConfig({ DATASET_MAX_BYTES: '64' });
    tables = new FakeTables();
    datasets = new FakeDatasetsRepository();
    keys = new MemoryKeys();
    const service = new DatasetUploadService(
      config,
      datasets.asRepository(),
      tables.asRepository(),
      new FakeAudit().asService(),
      inlineProfiles,
    );
    uploads = new IdempotentUploadsService(
      config,
      service,
      new StreamedIdempotencyService(keys.asService()),
    );
  });

  it('stores the first upload and answers its repeat with the same response, storing nothing', async () => {
    const first = await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    const again = await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(again).toEqual({ status: 201, body: first.body, replayed: true });
    expect(datasets.rows).toHaveLength(1);
    expect(tables.loads).toHaveLength(1);
    expect(new Set(keys.calls.map((call) => call.organizationId))).toEqual(new Set([ORG_A]));
  });

  it.each([
    ['other bytes', uploadOf('n\n2\n')],
    ['another name', uploadOf('n\n1\n', { name: 'other.csv' })],
    ['another delimiter', uploadOf('n\n1\n', { delimiter: ';' })],
    ['no header', uploadOf('n\n1\n', { header: false })],
  ])('answers a repeat with %s 409 idempotency-key-reused', async (_, repeat) => {
    await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    await expect(
      uploads.upload(analystOf(ORG_A), repeat, 'k1', meta, respond),
    ).rejects.toMatchObject({ status: 409, slug: 'idempotency-key-reused' });
    expect(datasets.rows).toHaveLength(1);
  });

  it('reads a repeat within the size limit (413 past it), without loading it', async () => {
    await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    await expect(
      uploads.upload(analystOf(ORG_A), uploadOf(`n\n${'9'.repeat(100)}\n`), 'k1', meta, respond),
    ).rejects.toMatchObject({ status: 413, slug: 'csv-too-large' });
    expect(tables.loads).toHaveLength(1);
  });

  it('releases the key of a failed upload, so a corrected retry may use it', async () => {
    tables.failWith = new Error('connection reset');
    await expect(
      uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond),
    ).rejects.toThrow('connection reset');
    expect(keys.calls.map((call) => call.method)).toEqual(['beginStreamed', 'release']);
    tables.failWith = undefined;
    const retried = await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    expect(retried.replayed).toBe(false);
  });

  it('keeps keys apart by organization: the same key in another is a first request', async () => {
    await uploads.upload(analystOf(ORG_A), uploadOf('n\n1\n'), 'k1', meta, respond);
    const other = await uploads.upload(analystOf(ORG_B), uploadOf('n\n1\n'), 'k1', meta, respond);
    expect(other.replayed).toBe(false);
    expect(datasets.calls.map((call) => call.organizationId)).toEqual([ORG_A, ORG_B]);
  });
});
