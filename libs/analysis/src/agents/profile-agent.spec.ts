import { organizationIdOf } from '@app/tenancy';
import type { ColumnProfile } from '@app/datasets';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { qualityIssues } from './profile-agent';

function column(name: string, overrides: Partial<ColumnProfile>): ColumnProfile {
  return {
    name,
    type: 'number',
    count: 100,
    nullCount: 0,
    distinctCount: 50,
    min: null,
    max: null,
    mean: null,
    stddev: null,
    quantiles: { p05: null, p25: null, p50: null, p75: null, p95: null },
    topValues: [],
    ...overrides,
  };
}

function dataset(
  profile: ColumnProfile[],
  typeChanges: AnalysisContext['dataset']['typeChanges'] = [],
): AnalysisContext['dataset'] {
  return {
    id: 'd',
    organizationId: organizationIdOf('o'),
    name: 'd',
    columns: [],
    profile,
    typeChanges,
    rowCount: 100,
    tableName: 't',
  };
}

describe('qualityIssues', () => {
  it('flags missing values by share, constants, ids and mixed types', () => {
    const issues = qualityIssues(
      dataset(
        [
          column('empty', { nullCount: 100, distinctCount: 0 }),
          column('holes', { nullCount: 25 }),
          column('mostly-holes', { nullCount: 60 }),
          column('same', { distinctCount: 1 }),
          column('key', { type: 'integer', distinctCount: 100 }),
          column('fine', {}),
        ],
        [{ column: 'code', from: 'integer', to: 'string', rowsBefore: 41 }],
      ),
    );
    expect(issues.map((i) => [i.column, i.kind, i.severity, i.value])).toEqual([
      ['empty', 'all_null', 'high', 1],
      ['holes', 'high_null_share', 'warning', 0.25],
      ['mostly-holes', 'high_null_share', 'high', 0.6],
      ['same', 'constant', 'warning', 1],
      ['key', 'suspected_id', 'info', 1],
      ['code', 'mixed_types', 'warning', 41],
    ]);
  });

  it('does not call a number column or a small one an id', () => {
    expect(qualityIssues(dataset([column('price', { distinctCount: 100 })]))).toEqual([]);
    expect(
      qualityIssues(dataset([column('key', { type: 'integer', count: 10, distinctCount: 10 })])),
    ).toEqual([]);
  });
});
