import { baseIdentifier, columnIdentifiers, quoteIdentifier } from './identifiers';

const identifiers = (...names: string[]) =>
  columnIdentifiers(names).map((column) => column.identifier);

describe('baseIdentifier', () => {
  it.each([
    ['name', 'name'],
    ['First Name', 'first_name'],
    ['  total  (EUR) ', 'total_eur'],
    ['firstName', 'first_name'],
    ['HTTPStatus', 'http_status'],
    ['utf8String', 'utf8_string'],
    ['Café Crème', 'cafe_creme'],
    ['Straße', 'strasse'],
    ['Ærø', 'aero'],
    ['2024 sales', '_2024_sales'],
    ['__id__', 'id'],
    ['a--b..c', 'a_b_c'],
    ['% growth', 'growth'],
    ['名前', ''],
    ['€', ''],
  ])('%j → %j', (name, identifier) => {
    expect(baseIdentifier(name)).toBe(identifier);
  });

  it('keeps to 63 bytes and the identifier alphabet', () => {
    const long = baseIdentifier('Ä'.repeat(100));
    expect(long).toBe('a'.repeat(63));
    for (const name of ['x'.repeat(70), `${'a'.repeat(62)} b`, '1'.repeat(80)]) {
      expect(baseIdentifier(name)).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    }
    expect(baseIdentifier(`${'a'.repeat(62)} b`)).toBe('a'.repeat(62));
  });
});

describe('columnIdentifiers', () => {
  it('keeps the original names beside the identifiers', () => {
    expect(columnIdentifiers(['First Name', 'Age'])).toEqual([
      { name: 'First Name', identifier: 'first_name' },
      { name: 'Age', identifier: 'age' },
    ]);
  });

  it('suffixes collisions _2, _3, …', () => {
    expect(identifiers('Name', 'name ', 'NAME!', 'name_2')).toEqual([
      'name',
      'name_2',
      'name_3',
      'name_2_2',
    ]);
  });

  it('suffixes reserved words and system columns', () => {
    expect(identifiers('select', 'order', 'user', 'xmin', 'ctid', 'Order')).toEqual([
      'select_2',
      'order_2',
      'user_2',
      'xmin_2',
      'ctid_2',
      'order_3',
    ]);
  });

  it("avoids the caller's reserved names", () => {
    expect(columnIdentifiers(['id', 'row'], ['id']).map((c) => c.identifier)).toEqual([
      'id_2',
      'row',
    ]);
  });

  it('is never empty', () => {
    expect(identifiers('名前', '€', 'column_2')).toEqual(['column_1', 'column_2', 'column_2_2']);
  });

  it('keeps suffixed names within 63 bytes', () => {
    const [first, second] = identifiers('x'.repeat(80), 'x'.repeat(90));
    expect(first).toBe('x'.repeat(63));
    expect(second).toBe(`${'x'.repeat(61)}_2`);
  });
});

describe('quoteIdentifier', () => {
  it('quotes and doubles quotes', () => {
    expect(quoteIdentifier('name')).toBe('"name"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });

  it('refuses what PostgreSQL would', () => {
    expect(() => quoteIdentifier('')).toThrow(RangeError);
    expect(() => quoteIdentifier('a\0b')).toThrow(RangeError);
  });
});
