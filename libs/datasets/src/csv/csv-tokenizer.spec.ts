import { CsvError } from './csv-errors';
import type { CsvRow } from './csv-rows';
import { CsvTokenizer, type TokenizerLimits } from './csv-tokenizer';

const roomy: TokenizerLimits = { maxColumns: 100, maxLineLength: 1000, maxFieldLength: 1000 };

/** Rows, or the error, of `text` pushed in the given pieces. */
function tokenize(
  pieces: string[],
  { delimiter = ',', limits = roomy }: { delimiter?: string; limits?: TokenizerLimits } = {},
): CsvRow[] | { code: string; line: number | undefined; message: string } {
  const tokenizer = new CsvTokenizer(delimiter, limits);
  try {
    for (const piece of pieces) tokenizer.push(piece);
    tokenizer.end();
    return tokenizer.rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { code: error.code, line: error.line, message: error.message };
  }
}

/** Every way of cutting `text` in two, and in single characters. */
function cuttings(text: string): string[][] {
  const all = [[text], [...text]];
  for (let cut = 1; cut < text.length; cut++) all.push([text.slice(0, cut), text.slice(cut)]);
  return all;
}

describe('CsvTokenizer', () => {
  it.each([
    [
      'plain',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['empty vs quoted empty', ',""\n', [[null, '']]],
    ['doubled quotes', '"a""b",""""\n', [['a"b', '"']]],
    [
      'delimiter and line breaks inside quotes',
      '"a,b","c\nd","e\r\nf"\n',
      [['a,b', 'c\nd', 'e\r\nf']],
    ],
    ['a quote opens a section anywhere', 'ab"c,d"e,f\n', [['abc,de', 'f']]],
    ['text after a closing quote', '"a"b,"c"""\n', [['ab', 'c"']]],
    ['spaces are data', ' a , "b" \n', [[' a ', ' b ']]],
    ['no final line break', 'a,b', [['a', 'b']]],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CR',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['backslash-dot is data', 'a\n\\.\n', [['a'], ['\\.']]],
  ])('%s', (_, text, rows) => {
    for (const pieces of cuttings(text)) expect(tokenize(pieces)).toEqual(rows);
  });

  it('reads other delimiters', () => {
    expect(tokenize(['a;b|c\t"d;e"\n'], { delimiter: ';' })).toEqual([['a', 'b|c\td;e']]);
    expect(tokenize(['a;b|c\t"d;e"\n'], { delimiter: '|' })).toEqual([['a;b', 'c\td;e']]);
    expect(tokenize(['a;b|c\t"d;e"\n'], { delimiter: '\t' })).toEqual([['a;b|c', 'd;e']]);
  });

  it('treats empty lines as rows of one null field, but not at the end', () => {
    expect(tokenize(['a\n\n\nb\n\n\n'])).toEqual([['a'], [null], [null], ['b']]);
    expect(tokenize(['a\r\n\r\nb\r\n\r\n'])).toEqual([['a'], [null], ['b']]);
  });

  it('counts physical lines, in and out of quotes, for every line ending', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `a,b${eol}"1${eol}2${eol}3",4${eol}5${eol}`;
      for (const pieces of cuttings(text)) {
        expect(tokenize(pieces)).toEqual({
          code: 'ragged-row',
          line: 5,
          message: 'Row 3 has 1 field; the header has 2 (line 5)',
        });
      }
    }
  });

  it('refuses mixed line endings, wherever the chunks end', () => {
    for (const [text, line, message] of [
      ['a\r\nb\nc\n', 2, 'Line 2 ends with LF but line 1 ends with CRLF'],
      ['a\nb\r\n', 2, 'Line 2 ends with CRLF but line 1 ends with LF'],
      ['a\rb\r\n', 2, 'Line 2 ends with CRLF but line 1 ends with CR'],
      ['a\nb\rc\n', 2, 'Line 2 ends with CR but line 1 ends with LF'],
      ['a\nb\r', 2, 'Line 2 ends with CR but line 1 ends with LF'],
    ] as const) {
      for (const pieces of cuttings(text)) {
        expect(tokenize(pieces)).toMatchObject({ code: 'mixed-line-endings', line });
        expect(tokenize(pieces)).toMatchObject({ message: expect.stringContaining(message) });
      }
    }
  });

  it('allows any line break inside quotes', () => {
    expect(tokenize(['a\n"b\r\nc\rd"\n'])).toEqual([['a'], ['b\r\nc\rd']]);
  });

  it('reports an unclosed quote at the line it opens', () => {
    for (const pieces of cuttings('a,b\n1,"2\n3\n')) {
      expect(tokenize(pieces)).toMatchObject({ code: 'unclosed-quote', line: 2 });
    }
  });

  describe('limits', () => {
    const limits: TokenizerLimits = { maxColumns: 3, maxLineLength: 10, maxFieldLength: 6 };

    it.each([
      ['a line just at the limit', '123,567,90\n', [['123', '567', '90']]],
      ['a field just at the limit', '"1234"\n', [['1234']]],
      ['columns at the limit', 'a,b,c\n', [['a', 'b', 'c']]],
    ])('accepts %s', (_, text, rows) => {
      for (const pieces of cuttings(text)) expect(tokenize(pieces, { limits })).toEqual(rows);
    });

    it.each([
      ['a long line', '1,2,3\n123,567,901\n', 'line-too-long', 2],
      ['a long field', '1234567\n', 'field-too-long', 1],
      ['a long quoted field over lines', '1\n"12\n34\n5"\n', 'field-too-long', 2],
      ['too many columns', 'a,b,c,d\n', 'too-many-columns', 1],
      // Several problems: the one that comes first in the text wins, however it is cut.
      ['too many columns, then too long', 'a,b,c,d,eeeeeeeee\n', 'too-many-columns', 1],
      ['too long, then too many columns', 'aaaaaa,bbbb,c,d\n', 'line-too-long', 1],
      ['a long field in a long line', '1,1234567890123\n', 'field-too-long', 1],
      ['a long line ending in a long field', '1,2,3456,1234567\n', 'line-too-long', 1],
    ])('refuses %s', (_, text, code, line) => {
      const expected = tokenize([text], { limits });
      expect(expected).toMatchObject({ code, line });
      for (const pieces of cuttings(text)) expect(tokenize(pieces, { limits })).toEqual(expected);
    });
  });

  it('pads short rows and drops empty extra fields when ragged rows are allowed', () => {
    const tokenizer = new CsvTokenizer(',', roomy);
    tokenizer.allowRagged = true;
    tokenizer.push('a,b,c\n1\n1,2,3,\n\n2,3\n');
    tokenizer.end();
    expect(tokenizer.rows).toEqual([
      ['a', 'b', 'c'],
      ['1', null, null],
      ['1', '2', '3'],
      [null, null, null],
      ['2', '3', null],
    ]);
  });

  it('shows the first row before reading on, and counts rows', () => {
    const seen: CsvRow[] = [];
    const tokenizer = new CsvTokenizer(',', roomy);
    tokenizer.onFirstRow = (row) => {
      seen.push(row);
      throw new CsvError('empty-header', 'no', 1);
    };
    expect(() => tokenizer.push('a,b\n1\n')).toThrow('no');
    expect(seen).toEqual([['a', 'b']]);
    expect(tokenizer.rowCount).toBe(1);
  });
});
