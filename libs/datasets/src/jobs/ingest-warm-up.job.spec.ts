import { loadConfig } from '@app/config';
import { Readable } from 'node:stream';
import { openCsv } from '../csv/csv-reader';
import { RowTypeTracker } from '../csv/type-inference';
import type { DatasetUploadService } from '../services/dataset-upload.service';
import { IngestWarmUpJob, warmUpCsv } from './ingest-warm-up.job';

describe('warmUpCsv', () => {
  it('is about the size asked for, in whole rows, with a column of every type', async () => {
    const bytes = 300 * 1024;
    const chunks = [...warmUpCsv(bytes)];
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    expect(size).toBeGreaterThanOrEqual(bytes - 200);
    expect(size).toBeLessThanOrEqual(bytes + 200);
    expect(chunks.every((chunk) => chunk.at(-1) === 0x0a)).toBe(true);

    const file = await openCsv(Readable.from(chunks));
    const types = new RowTypeTracker(file.columns.length);
    let rows = 0;
    let quotedLineBreaks = 0;
    let nonAscii = 0;
    for await (const batch of file) {
      for (const row of batch) {
        types.observe(row);
        rows += 1;
        if (row[7]?.includes('\n') === true) quotedLineBreaks += 1;
        if (/[\u0080-\uffff]/.test(row[1] ?? '')) nonAscii += 1;
      }
    }
    expect(file.columns).toEqual([
      'id',
      'place',
      'amount',
      'ratio',
      'active',
      'day',
      'seen_at',
      'note',
    ]);
    expect(types.types).toEqual([
      'integer',
      'string',
      'integer',
      'number',
      'boolean',
      'date',
      'datetime',
      'string',
    ]);
    expect(rows).toBeGreaterThan(3000);
    expect(quotedLineBreaks).toBeGreaterThan(0);
    expect(nonAscii).toBeGreaterThan(0);
  });

  it('is empty but for its header when asked for nothing', () => {
    expect(Buffer.concat([...warmUpCsv(0)]).toString()).toBe(
      'id,place,amount,ratio,active,day,seen_at,note\n',
    );
  });
});

describe('IngestWarmUpJob', () => {
  it('touches neither the database nor the profile thread when DATASET_WARM_UP_BYTES is 0', async () => {
    // Records what the warm-up reaches for (it catches its own errors, so throwing would not tell).
    const used: string[] = [];
    const untouchable = new Proxy(
      {},
      {
        get: (_, property) => {
          used.push(String(property));
          return () => {
            throw new Error('not available');
          };
        },
      },
    );
    const warmUp = new IngestWarmUpJob(
      loadConfig({ NODE_ENV: 'development', DATASET_WARM_UP_BYTES: '0' }),
      untouchable as DatasetUploadService,
    );
    await warmUp.onApplicationBootstrap();
    expect(used).toEqual([]);

    const on = new IngestWarmUpJob(
      loadConfig({ NODE_ENV: 'development', DATASET_WARM_UP_BYTES: '1024' }),
      untouchable as DatasetUploadService,
    );
    await on.onApplicationBootstrap(); // fails on the fake database, logged, not thrown
    expect(used).toContain('rehearse');
  });

  it('warms 8 MiB by default, and nothing in tests', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.datasets.warmUpBytes).toBe(8 * 1024 ** 2);
    expect(loadConfig({ NODE_ENV: 'test' }).datasets.warmUpBytes).toBe(0);
  });
});
