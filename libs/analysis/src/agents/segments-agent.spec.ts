import type { AnalysisContext } from '../orchestration/analysis-context';
import { segmentColumns } from './segments-agent';

type Dataset = AnalysisContext['dataset'];

function dataset(
  columns: Array<{ name: string; type: string; distinct: number; top?: string[]; count?: number }>,
): Dataset {
  return {
    columns: columns.map(({ name, type }) => ({ name, column: name, type })),
    profile: columns.map(({ name, type, distinct, top, count }) => ({
      name,
      type,
      count: count ?? 1000,
      nullCount: 0,
      distinctCount: distinct,
      topValues: (top ?? []).map((value) => ({ value, count: 1 })),
    })),
  } as unknown as Dataset;
}

describe('segmentColumns', () => {
  it('groups by short labels with 2 to 50 levels and measures numbers that are not ids', () => {
    const { categorical, numeric } = segmentColumns(
      dataset([
        { name: 'weather', type: 'string', distinct: 5, top: ['sun', 'rain'] },
        { name: 'open', type: 'boolean', distinct: 2 },
        { name: 'constant', type: 'string', distinct: 1, top: ['x'] },
        { name: 'customer', type: 'string', distinct: 51 },
        { name: 'review', type: 'string', distinct: 3, top: ['a'.repeat(101)] },
        { name: 'temp', type: 'number', distinct: 900 },
        { name: 'id', type: 'integer', distinct: 1000 },
        { name: 'units', type: 'integer', distinct: 8 },
        { name: 'day', type: 'date', distinct: 1000 },
      ]),
    );
    expect(categorical.map((c) => c.name)).toEqual(['weather', 'open']);
    expect(numeric.map((c) => c.name)).toEqual(['temp', 'units']);
  });
});
