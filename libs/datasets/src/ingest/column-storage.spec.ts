import { SQL_TYPES, widenExpression } from './column-storage';

describe('widenExpression', () => {
  it('leaves storage alone when nothing changes', () => {
    expect(widenExpression('"a"', 'integer', 'integer')).toBeUndefined();
    expect(widenExpression('"a"', 'unknown', 'string')).toBeUndefined();
  });

  it('casts an all-empty text column, empty strings becoming NULL', () => {
    expect(widenExpression('"a"', 'unknown', 'integer')).toBe(`NULLIF("a", '')::bigint`);
  });

  it('casts typed columns to the wider type', () => {
    expect(widenExpression('"a"', 'integer', 'number')).toBe('"a"::double precision');
    expect(widenExpression('"a"', 'date', 'datetime')).toBe('"a"::timestamp with time zone');
    expect(widenExpression('"a"', 'boolean', 'string')).toBe('"a"::text');
  });

  it('stores numbers as PostgreSQL doubles and integers as bigint', () => {
    expect(SQL_TYPES).toMatchObject({ integer: 'bigint', number: 'double precision' });
  });
});
