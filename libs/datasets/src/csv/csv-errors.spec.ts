import { CsvError, type CsvErrorCode } from './csv-errors';

describe('CsvError', () => {
  it.each<[CsvErrorCode, number]>([
    ['empty-file', 400],
    ['header-only', 400],
    ['unclosed-quote', 400],
    ['ragged-row', 400],
    ['mixed-line-endings', 400],
    ['duplicate-header', 400],
    ['empty-header', 400],
    ['not-utf8', 415],
    ['binary-content', 415],
    ['too-many-columns', 413],
    ['line-too-long', 413],
    ['field-too-long', 413],
    ['too-large', 413],
  ])('%s is %d', (code, status) => {
    const error = new CsvError(code, 'message', 3);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'CsvError', code, status, message: 'message', line: 3 });
  });
});
