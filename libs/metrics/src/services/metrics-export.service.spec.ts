import { text } from 'node:stream/consumers';
import type { Readable, Transform } from 'node:stream';
import type { MetricFilter, MetricRow } from '../repositories/metric-queries';
import type { MetricsRepository } from '../repositories/metrics.repository';
import { ORG_A } from '../testing/fake-metrics';
import { MetricsExportService } from './metrics-export.service';

const row = (fields: Partial<MetricRow>): MetricRow => ({
  id: '7a0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c',
  name: 'revenue',
  value: -1.5,
  unit: null,
  dimensions: { region: 'eu' },
  observedAt: new Date('2026-01-02T00:00:00Z'),
  source: 'client',
  datasetId: null,
  analysisId: null,
  agent: null,
  toolCallId: null,
  createdAt: new Date('2026-01-03T00:00:00Z'),
  ...fields,
});

/** MetricsRepository's stream over fixed rows, recording the organization and filter. */
class FakeStream {
  readonly calls: Array<{ organizationId: string; filter: MetricFilter }> = [];

  constructor(private readonly rows: MetricRow[]) {}

  stream(organizationId: string, filter: MetricFilter, encode: Transform): Promise<Readable> {
    this.calls.push({ organizationId, filter });
    for (const metric of this.rows) encode.write(metric);
    encode.end();
    return Promise.resolve(encode);
  }
}

function exporter(rows: MetricRow[]): { service: MetricsExportService; repository: FakeStream } {
  const repository = new FakeStream(rows);
  return {
    service: new MetricsExportService(repository as unknown as MetricsRepository),
    repository,
  };
}

describe('MetricsExportService', () => {
  it('streams CSV with a header, neutralising text a spreadsheet would run, never numbers', async () => {
    const { service } = exporter([row({ unit: '=HYPERLINK("x")', agent: '@bot' })]);
    const csv = await text(await service.export(ORG_A, { name: 'revenue' }, 'csv'));
    const [header, line, ...rest] = csv.split('\n');
    expect(header).toBe(
      'id,name,value,unit,dimensions,observedAt,source,datasetId,analysisId,agent,toolCallId,createdAt',
    );
    expect(line).toBe(
      '7a0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c,revenue,-1.5,"\'=HYPERLINK(""x"")",' +
        '"{""region"":""eu""}",2026-01-02T00:00:00.000Z,client,,,\'@bot,,2026-01-03T00:00:00.000Z',
    );
    expect(rest).toEqual(['']);
  });

  it('streams JSON as an array of metrics, and [] for none', async () => {
    const some = exporter([row({ value: 1 }), row({ value: 2 })]);
    const json = JSON.parse(await text(await some.service.export(ORG_A, {}, 'json'))) as Array<{
      value: number;
      observedAt: string;
    }>;
    expect(json.map((metric) => [metric.value, metric.observedAt])).toEqual([
      [1, '2026-01-02T00:00:00.000Z'],
      [2, '2026-01-02T00:00:00.000Z'],
    ]);
    const none = exporter([]);
    expect(await text(await none.service.export(ORG_A, {}, 'json'))).toBe('[]\n');
  });

  it("streams the caller's organization with the filter normalised", async () => {
    const { service, repository } = exporter([]);
    await service.export(
      ORG_A,
      { datasetId: '0B7E4C1A-3F2D-4E5B-9A6C-7D8E9F0A1B2C', from: '2026-01-01', dim: { r: 'eu' } },
      'csv',
    );
    expect(repository.calls).toEqual([
      {
        organizationId: ORG_A,
        filter: expect.objectContaining({
          datasetId: '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c',
          from: new Date('2026-01-01T00:00:00Z'),
          dimensions: { r: 'eu' },
        }),
      },
    ]);
  });

  it('refuses from after to with 400 naming from, before opening a stream', async () => {
    const { service, repository } = exporter([]);
    let refused: unknown;
    try {
      await service.export(ORG_A, { from: '2026-02-01', to: '2026-01-01' }, 'csv');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      status: 400,
      slug: 'validation-error',
      fieldErrors: [{ field: 'from', message: 'from must be before to' }],
    });
    expect(repository.calls).toEqual([]);
  });
});
