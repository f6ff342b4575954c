import { QueryFailedError } from 'typeorm';
import { isTransientDatabaseError } from './transient-errors';

const withCode = (code: string) => Object.assign(new Error(`failed (${code})`), { code });

describe('isTransientDatabaseError', () => {
  it.each(['08006', '08001', '40001', '40P01', '53300', '57P01', 'ECONNRESET', 'ECONNREFUSED'])(
    'retries %s',
    (code) => {
      expect(isTransientDatabaseError(withCode(code))).toBe(true);
    },
  );

  it('reads the driver error inside a TypeORM QueryFailedError', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], withCode('40001'));
    expect(isTransientDatabaseError(wrapped)).toBe(true);
  });

  it('retries a connection the pool lost', () => {
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it.each([
    ['a syntax error', withCode('42601')],
    ['a unique violation', withCode('23505')],
    ['a statement timeout', withCode('57014')],
    ['a plain error', new Error('the dataset no longer exists')],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('does not retry %s', (_case, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
