import { categorySvg, histogramSvg } from '../charts/histogram-chart';
import type {
  BucketCounts,
  DatasetChartsRepository,
  ValueCount,
} from '../repositories/dataset-charts.repository';
import { datasetEntity, datasetsServiceOver, ORG_A, ORG_B } from '../testing/fake-datasets';
import { DatasetChartsService } from './dataset-charts.service';

// The drawing is Vega-Lite's: what is checked here is what the service hands it.
jest.mock('../charts/histogram-chart', () => ({
  histogramSvg: jest.fn(() => Promise.resolve('<svg histogram/>')),
  categorySvg: jest.fn(() => Promise.resolve('<svg categories/>')),
}));

/** DatasetChartsRepository answering fixed counts, recording its calls. */
class FakeCharts {
  readonly calls: Array<{ method: string; organizationId: string; limit: number }> = [];
  /** What `buckets` answers. */
  counted: BucketCounts | null = null;
  values: ValueCount[] = [];

  topValues(organizationId: string, _dataset: unknown, _column: unknown, limit: number) {
    this.calls.push({ method: 'topValues', organizationId, limit });
    return Promise.resolve(this.values);
  }

  buckets(organizationId: string, _dataset: unknown, _column: unknown, bins: number) {
    this.calls.push({ method: 'buckets', organizationId, limit: bins });
    return Promise.resolve(this.counted);
  }
}

describe('DatasetChartsService', () => {
  const dataset = datasetEntity(ORG_A, {
    columns: [
      { name: 'City name', column: 'city_name', type: 'string' },
      { name: 'x', column: 'x', type: 'number' },
      { name: 'day', column: 'day', type: 'date' },
    ],
  });
  const foreign = datasetEntity(ORG_B);
  let charts: FakeCharts;
  let service: DatasetChartsService;

  beforeEach(() => {
    jest.clearAllMocks();
    charts = new FakeCharts();
    service = new DatasetChartsService(
      datasetsServiceOver([dataset, foreign]),
      charts as unknown as DatasetChartsRepository,
    );
  });

  const bars = () => jest.mocked(histogramSvg).mock.calls[0]?.[1];

  it('finds a column by its name in the file or by its SQL name', () => {
    expect(service.column(dataset, 'City name').column).toBe('city_name');
    expect(service.column(dataset, 'city_name').name).toBe('City name');
  });

  it('answers 404 for a column the dataset does not have', async () => {
    await expect(service.histogram(ORG_A, dataset.id, 'nope', 10)).rejects.toMatchObject({
      status: 404,
      slug: 'not-found',
      message: `Dataset ${dataset.id} has no column "nope"`,
    });
    expect(charts.calls).toEqual([]);
  });

  it("answers 404 for another organization's dataset and counts nothing", async () => {
    await expect(service.histogram(ORG_A, foreign.id, 'x', 10)).rejects.toMatchObject({
      status: 404,
    });
    expect(charts.calls).toEqual([]);
  });

  it('draws a text column as its 20 most frequent values', async () => {
    charts.values = [{ value: 'Oslo', count: 3 }];
    await expect(service.histogram(ORG_A, dataset.id, 'City name', 10)).resolves.toBe(
      '<svg categories/>',
    );
    expect(charts.calls).toEqual([{ method: 'topValues', organizationId: ORG_A, limit: 20 }]);
    expect(categorySvg).toHaveBeenCalledWith('City name', charts.values);
  });

  it('draws a number column as equal bins between its bounds, empty bins at 0', async () => {
    charts.counted = {
      low: 0,
      high: 10,
      counts: new Map([
        [0, 4],
        [3, 1],
      ]),
    };
    await service.histogram(ORG_A, dataset.id, 'x', 4);
    expect(charts.calls).toEqual([{ method: 'buckets', organizationId: ORG_A, limit: 4 }]);
    expect(bars()).toEqual([
      { start: 0, end: 2.5, count: 4 },
      { start: 2.5, end: 5, count: 0 },
      { start: 5, end: 7.5, count: 0 },
      { start: 7.5, end: 10, count: 1 },
    ]);
  });

  it('draws one bin of width 1 when every value is the same, and none without values', async () => {
    charts.counted = { low: 7, high: 7, counts: new Map([[0, 5]]) };
    await service.histogram(ORG_A, dataset.id, 'x', 10);
    expect(bars()).toEqual([{ start: 7, end: 8, count: 5 }]);
    jest.clearAllMocks();
    charts.counted = null;
    await service.histogram(ORG_A, dataset.id, 'x', 10);
    expect(bars()).toEqual([]);
  });

  it('draws a date column with its bin edges as ISO times', async () => {
    const low = Date.UTC(2026, 0, 1);
    charts.counted = { low, high: low + 2 * 86_400_000, counts: new Map([[1, 2]]) };
    await service.histogram(ORG_A, dataset.id, 'day', 2);
    expect(bars()).toEqual([
      { start: '2026-01-01T00:00:00.000Z', end: '2026-01-02T00:00:00.000Z', count: 0 },
      { start: '2026-01-02T00:00:00.000Z', end: '2026-01-03T00:00:00.000Z', count: 2 },
    ]);
    expect(jest.mocked(histogramSvg).mock.calls[0]?.[2]).toBe(true);
  });
});
