import { organizationIdOf } from '@app/tenancy';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { toolScans } from '../repositories/tool-query.repository';
import { firstTextCells } from './text-agent';

/** A table of `pages` pages of `perPage` rows, `value-<row>`, every third one empty. */
function context(pages: number, perPage: number, statements: string[]): AnalysisContext {
  const rows = Array.from({ length: pages * perPage }, (_, i) => ({
    row: i,
    page: Math.floor(i / perPage),
    value: i % 3 === 2 ? '' : `value-${i}`,
  }));
  const query = <Row>(text: string, values: unknown[] = []): Promise<Row[]> => {
    statements.push(text);
    if (text.includes('pg_relation_size'))
      return Promise.resolve([{ pages: String(pages) }] as Row[]);
    const page = (tid: unknown) => Number(/^\((\d+),0\)$/.exec(String(tid))?.[1]);
    const [from, to, limit] = [page(values[0]), page(values[1]), Number(values[2])];
    return Promise.resolve(
      rows
        .filter((row) => row.page >= from && row.page < to && row.value !== '')
        .slice(0, limit)
        .map(({ row, value }) => ({
          at: `(${Math.floor(row / perPage)},${(row % perPage) + 1})`,
          value,
        })) as Row[],
    );
  };
  return {
    organizationId: organizationIdOf('o'),
    dataset: {
      id: 'd',
      organizationId: organizationIdOf('o'),
      name: 'd',
      columns: [],
      profile: [],
      typeChanges: [],
      rowCount: 0,
      tableName: 't',
    },
    ...toolScans(query),
  };
}

describe('firstTextCells', () => {
  it('reads the first non-empty values in file order, a window of pages at a time', async () => {
    const statements: string[] = [];
    const cells = await firstTextCells(context(1000, 3, statements), 'comment', 100);
    const values = cells.map((cell) => cell.value);
    expect(values).toHaveLength(100);
    expect(values.slice(0, 3)).toEqual(['value-0', 'value-1', 'value-3']);
    expect(values[99]).toBe('value-148');
    expect(cells[2]).toEqual({ at: '(1,1)', value: 'value-3' });
    // The size, then windows of 32 and 64 pages: 96 pages of 3 rows hold 192 values.
    expect(statements).toHaveLength(3);
    // No sort of the whole table: every read is a TID range.
    expect(
      statements.slice(1).every((text) => text.includes('ctid >= $1::tid AND ctid < $2::tid')),
    ).toBe(true);
  });

  it('stops at the end of the table with what there is', async () => {
    const statements: string[] = [];
    expect(await firstTextCells(context(5, 3, statements), 'comment', 100)).toHaveLength(10);
    expect(statements).toHaveLength(2);
  });
});
