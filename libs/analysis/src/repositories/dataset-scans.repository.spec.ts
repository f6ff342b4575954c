import { organizationIdOf } from '@app/tenancy';
import { DatasetScansRepository } from './dataset-scans.repository';
import { SeriesScansRepository } from './series-scans.repository';

describe('the tools repositories', () => {
  const dataset = { organizationId: organizationIdOf('org-a'), tableName: 'd_1', rowCount: 10 };

  function recording(): { statements: string[]; query: <Row>(text: string) => Promise<Row[]> } {
    const statements: string[] = [];
    return {
      statements,
      query: <Row>(text: string) => {
        statements.push(text);
        return Promise.resolve([] as Row[]);
      },
    };
  }

  it("refuses another organization's dataset before any statement runs", async () => {
    const { statements, query } = recording();
    const scans = new DatasetScansRepository(query);
    const series = new SeriesScansRepository(query);
    const refused = 'A dataset of another organization reached its rows';
    await expect(scans.tablePages(organizationIdOf('org-b'), dataset)).rejects.toThrow(refused);
    await expect(scans.anomalySpreads(organizationIdOf('org-b'), dataset, ['c1'])).rejects.toThrow(
      refused,
    );
    await expect(scans.rowAt(organizationIdOf('org-b'), dataset, '(0,1)')).rejects.toThrow(refused);
    await expect(series.timeRange(organizationIdOf('org-b'), dataset, 'c0')).rejects.toThrow(
      refused,
    );
    await expect(series.columnValues(organizationIdOf('org-b'), dataset, ['c1'])).rejects.toThrow(
      refused,
    );
    expect(statements).toEqual([]);
  });

  it('quotes the stored column names it reads', async () => {
    const { statements, query } = recording();
    await new SeriesScansRepository(query).columnValues(organizationIdOf('org-a'), dataset, [
      'c"1',
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('"c""1"::float8 AS y0');
    expect(statements[0]).toContain('"dataset_rows"."d_1"');
  });
});
