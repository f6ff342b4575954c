import { exportBatchRows } from './export-batch';

describe('exportBatchRows', () => {
  it('fetches about 4 MiB of rows at a time, between 1 and 1,000 rows', () => {
    expect(exportBatchRows({ rowCount: 25_000, byteSize: 300_000 })).toBe(1000);
    expect(exportBatchRows({ rowCount: 60, byteSize: 60 * 1024 * 1024 })).toBe(4);
    expect(exportBatchRows({ rowCount: 10_000, byteSize: 10_000 * 20_000 })).toBe(209);
    expect(exportBatchRows({ rowCount: 1, byteSize: 100 * 1024 * 1024 })).toBe(1);
  });
});
