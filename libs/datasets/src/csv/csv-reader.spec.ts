import { Readable } from 'node:stream';
import type { CsvReadOptions } from './csv-options';
import { openCsv } from './csv-reader';
import { failure, outcome, read } from './testing/read-csv';

describe('openCsv', () => {
  it('reads a header and rows', async () => {
    const result = await read('name,age\nAda,36\nAlan,41\n');
    expect(result.columns).toEqual(['name', 'age']);
    expect(result.delimiter).toBe(',');
    expect(result.rows).toEqual([
      ['Ada', '36'],
      ['Alan', '41'],
    ]);
    expect(result.byteCount).toBe(24);
  });

  it('accepts a missing final newline and CRLF line breaks', async () => {
    expect((await read('a,b\n1,2')).rows).toEqual([['1', '2']]);
    expect((await read('a,b\r\n1,2\r\n3,4')).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect((await read('a,b\r1,2\r')).rows).toEqual([['1', '2']]);
  });

  it('strips a BOM and trims header names', async () => {
    const result = await read('\ufeff name , "age "\n"Ada",36\n');
    expect(result.bom).toBe(true);
    expect(result.columns).toEqual(['name', 'age']);
    expect(result.rows).toEqual([['Ada', '36']]);
  });

  it('reads quoted fields: delimiters, doubled quotes, line breaks, empty vs missing', async () => {
    const result = await read('a,b,c\n"x, y","say ""hi""","two\nlines"\n"",,"\r\n"\n', {});
    expect(result.rows).toEqual([
      ['x, y', 'say "hi"', 'two\nlines'],
      ['', null, '\r\n'],
    ]);
  });

  it('reads a quote inside a field the way PostgreSQL does', async () => {
    // COPY opens a quoted section at any quote, not only at the start of a field.
    expect((await read('a,b\nab"c,d"e,f\n"x"y,z\n')).rows).toEqual([
      ['abc,de', 'f'],
      ['xy', 'z'],
    ]);
  });

  it('keeps counting physical lines inside quoted fields', async () => {
    const error = await failure('a,b\n"1\n2\n3",4\n5,6,7\n');
    expect(error.message).toBe('Row 3 has 3 fields; the header has 2 (line 5)');
    expect(error.line).toBe(5);
  });

  it('names columns column_1… without a header and keeps the first row', async () => {
    const result = await read('1,2\n3,4\n', { header: false });
    expect(result.columns).toEqual(['column_1', 'column_2']);
    expect(result.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  describe('delimiter', () => {
    it.each([
      [',', 'a,b,c\n1,2,3\n4,5,6\n'],
      [';', 'a;b;c\n1,5;2,5;3\n4;5;6\n'],
      ['\t', 'a\tb\n1, 2\t3; 4\n'],
      ['|', 'a|b\n1|2\n'],
    ])('sniffs %j', async (delimiter, text) => {
      expect((await read(text)).delimiter).toBe(delimiter);
    });

    it('ignores delimiters inside quotes when sniffing', async () => {
      const result = await read('name;note\n"a,b,c";x\n"d,e,f";y\n');
      expect(result.delimiter).toBe(';');
      expect(result.rows).toEqual([
        ['a,b,c', 'x'],
        ['d,e,f', 'y'],
      ]);
    });

    it('uses the given delimiter without sniffing', async () => {
      const result = await read('a;b,c\n1;2,3\n', { delimiter: ',' });
      expect(result.columns).toEqual(['a;b', 'c']);
    });

    it('reads a single column', async () => {
      expect(await read('value\n1\n2\n')).toMatchObject({ delimiter: ',', columns: ['value'] });
    });
  });

  describe('empty lines', () => {
    it('drops empty lines at the end', async () => {
      expect((await read('a,b\n1,2\n\n\n')).rows).toEqual([['1', '2']]);
      expect((await read('a\n1\n\n\n')).rows).toEqual([['1']]);
    });

    it('reads an empty line inside a one-column file as a null value', async () => {
      expect((await read('a\n1\n\n3\n')).rows).toEqual([['1'], [null], ['3']]);
    });

    it('refuses an empty line inside a file of several columns', async () => {
      const error = await failure('a,b\n1,2\n\n3,4\n');
      expect(error).toMatchObject({ code: 'ragged-row', status: 400, line: 3 });
      expect(error.message).toBe('Row 3 is an empty line; the header has 2 fields (line 3)');
    });
  });

  describe('ragged rows', () => {
    it('fails by default', async () => {
      const error = await failure('a,b,c,d\n1,2,3,4\n1,2,3\n');
      expect(error.message).toBe('Row 3 has 3 fields; the header has 4 (line 3)');
    });

    it('pads short rows and cuts empty extra fields with allowRagged', async () => {
      const result = await read('a,b,c\n1\n1,2,3,,\n\n4,5,6\n', { allowRagged: true });
      expect(result.rows).toEqual([
        ['1', null, null],
        ['1', '2', '3'],
        [null, null, null],
        ['4', '5', '6'],
      ]);
    });

    it('never drops a value with allowRagged', async () => {
      const error = await failure('a,b\n1,2,3\n', { allowRagged: true });
      expect(error.code).toBe('ragged-row');
      expect(error.message).toBe(
        'Row 2 has 3 fields, more than the 2 of the header, and the extra ones are not empty (line 2)',
      );
    });

    it('names the first row when there is no header', async () => {
      const error = await failure('1,2\n3\n', { header: false });
      expect(error.message).toBe('Row 2 has 1 field; the first row has 2 (line 2)');
    });
  });

  describe('chunk boundaries', () => {
    const files: [string, string | Buffer, CsvReadOptions][] = [
      [
        'quotes and CRLF',
        '\ufeffname,note,n\r\n"Zoë","say ""hi"", \r\nbye",1\r\n€uro,"😀,x",2\r\n,"",3\r\n\r\n',
        {},
      ],
      ['LF and multi-byte', 'a;b\n"x;\n😀";ü\n"";\n€;"a""b"\n', {}],
      ['CR only', 'a|b\r1|"2\r3"\r', {}],
      ['unclosed', 'a,b\n1,"2\n3,4\n', {}],
      ['ragged', 'a,b\n"1\n2",3\n4\n', {}],
      ['mixed', 'a,b\r\n"1\n2",3\n', {}],
      [
        'not utf-8',
        Buffer.concat([
          Buffer.from('a,b\n"x\ny",'),
          Buffer.from([0xf0, 0x9f, 0x98]),
          Buffer.from(',\n'),
        ]),
        {},
      ],
      ['limits', 'a,b\n"12345\n6789",1\n', { limits: { maxFieldLength: 9 } }],
    ];

    it.each(files)(
      '%s: same result for every way of cutting the bytes',
      async (_, text, options) => {
        const input = typeof text === 'string' ? Buffer.from(text) : text;
        const expected = await outcome(input, options, 'whole');
        expect(await outcome(input, options, 'bytes')).toEqual(expected);
        for (let seed = 1; seed <= 20; seed++) {
          expect(await outcome(input, options, 'random', seed)).toEqual(expected);
        }
        for (let cut = 1; cut < input.length; cut++) {
          expect(await outcome(input, options, [cut])).toEqual(expected);
        }
      },
    );

    it('reads the sample files as expected', async () => {
      expect(await outcome(Buffer.from(files[0][1]), {}, 'whole')).toEqual({
        columns: ['name', 'note', 'n'],
        delimiter: ',',
        rows: [
          ['Zoë', 'say "hi", \r\nbye', '1'],
          ['€uro', '😀,x', '2'],
          [null, '', '3'],
        ],
        byteCount: Buffer.byteLength(files[0][1] as string),
      });
    });
  });

  describe('large files', () => {
    const header = 'id,name,amount,when\n';
    const line = (i: number) =>
      `${i},"name ${i}, ""q""",${i * 1.5},2024-01-${String((i % 28) + 1).padStart(2, '0')}\n`;
    const text = header + Array.from({ length: 20_000 }, (_, i) => line(i)).join('');

    it('streams every row, in batches, across 64 KiB samples and chunks', async () => {
      const result = await read(text, { batchSize: 500 }, 'random', 7);
      expect(result.rows).toHaveLength(20_000);
      expect(result.rows[12_345]).toEqual(['12345', 'name 12345, "q"', '18517.5', '2024-01-26']);
      expect(result.batches).toBeGreaterThanOrEqual(20_000 / 501);
      expect(result.batches).toBeLessThanOrEqual(40);
    });

    it('cuts large chunks so that batches stay small', async () => {
      const result = await read(text, { batchSize: 1 });
      expect(result.rows).toHaveLength(20_000);
      expect(result.batches).toBeGreaterThan(10);
    });

    it('wants bytes, not text decoded by the stream', async () => {
      const stream = Readable.from([Buffer.from('a\n1\n')], { objectMode: false });
      stream.setEncoding('latin1');
      await expect(openCsv(stream)).rejects.toThrow(TypeError);
    });

    it('can be iterated once only', async () => {
      const csv = await openCsv(Readable.from([Buffer.from('a\n1\n')]));
      for await (const _ of csv) void _;
      await expect(csv[Symbol.asyncIterator]().next()).rejects.toThrow('only once');
    });
  });
});

describe('CsvFile line positions', () => {
  async function positions(text: string, header = true): Promise<number[]> {
    const file = await openCsv(Readable.from([Buffer.from(text)]), { header, batchSize: 1 });
    const lines = [file.firstDataLine];
    for await (const batch of file) {
      expect(batch.length).toBeGreaterThan(0);
      lines.push(file.nextRowLine);
    }
    return lines;
  }

  it('starts the data after the header and follows every batch', async () => {
    // Rows start on lines 2, 3 (two lines long) and 5; a sample holds them all at once. (A
    // header cannot span lines: a line break in a name is refused.)
    const lines = await positions('a,c\r\n1,2\r\n"x\r\ny",3\r\n4,5\r\n');
    expect(lines[0]).toBe(2);
    expect(lines[lines.length - 1]).toBeGreaterThanOrEqual(6);
  });

  it('starts the data on line 1 without a header', async () => {
    expect((await positions('1,2\n3,4\n', false))[0]).toBe(1);
  });
});
