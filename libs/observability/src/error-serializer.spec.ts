import { QueryFailedError } from 'typeorm';
import { serializeError } from './error-serializer';

describe('serializeError', () => {
  it('drops the values of a failing query at every depth, keeping what diagnoses it', () => {
    const driver = Object.assign(new Error('new row violates check constraint "c"'), {
      code: '23514',
      table: 'api_keys',
      constraint: 'c',
      detail: 'Failing row contains (…, 5f2b…hash, …).',
      where: 'SQL statement "…"',
    });
    const error = new QueryFailedError(
      'INSERT INTO "api_keys" VALUES ($1, $2)',
      ['id', 'hash'],
      driver,
    );

    const text = JSON.stringify(serializeError(error));

    expect(text).not.toMatch(/hash|Failing row|SQL statement/);
    expect(text).not.toMatch(/"parameters"|"detail"|"where"/);
    expect(text).toContain('23514');
    expect(text).toContain('api_keys');
    expect(text).toContain('INSERT INTO');
    const wrapped = Object.assign(new Error('bootstrap failed'), { cause: error });
    expect(JSON.stringify(serializeError(wrapped))).not.toMatch(/hash|Failing row/);
  });

  it('passes anything that is not an error through', () => {
    expect(serializeError('text')).toBe('text');
  });
});
