import { type CsvErrorCode } from './csv-errors';
import type { CsvReadOptions } from './csv-options';
import { openCsv } from './csv-reader';
import { failure, tick } from './testing/read-csv';

describe('openCsv errors', () => {
  describe('errors', () => {
    const limits = { maxBytes: 64, maxColumns: 3, maxLineLength: 20, maxFieldLength: 8 };
    const cases: [
      string,
      string | Buffer,
      CsvReadOptions,
      CsvErrorCode,
      number,
      number | undefined,
      string,
    ][] = [
      [
        'empty',
        '',
        {},
        'empty-file',
        400,
        undefined,
        'The file is empty (or holds only whitespace)',
      ],
      [
        'only a BOM',
        '\ufeff',
        {},
        'empty-file',
        400,
        undefined,
        'The file is empty (or holds only whitespace)',
      ],
      [
        'only whitespace',
        ' \n\t\n',
        {},
        'empty-file',
        400,
        undefined,
        'The file is empty (or holds only whitespace)',
      ],
      [
        'header only',
        'a,b\n',
        {},
        'header-only',
        400,
        undefined,
        'The file has a header row but no data rows',
      ],
      [
        'unclosed quote',
        'a,b\n1,2\n3,"4\n5,6\n',
        {},
        'unclosed-quote',
        400,
        3,
        'The quoted field that starts on line 3 is never closed (a " inside an unquoted field also starts a quoted section; double it or quote the whole field)',
      ],
      [
        'ragged',
        'a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4,5\n',
        {},
        'ragged-row',
        400,
        4,
        'Row 4 has 5 fields; the header has 4 (line 4)',
      ],
      [
        'mixed line breaks',
        'a,b\r\n1,2\n',
        {},
        'mixed-line-endings',
        400,
        2,
        'Line 2 ends with LF but line 1 ends with CRLF; use one kind of line break throughout, and quote fields that contain line breaks',
      ],
      [
        'bare CR',
        'a,b\n1\r,2\n',
        {},
        'mixed-line-endings',
        400,
        2,
        'Line 2 ends with CR but line 1 ends with LF; use one kind of line break throughout, and quote fields that contain line breaks',
      ],
      [
        'duplicate header',
        'id,Name,name\n1,2,3\n',
        {},
        'duplicate-header',
        400,
        1,
        'Column 3 of the header, "name", repeats column 2 ("Name"); names must be unique, ignoring case (line 1)',
      ],
      [
        'empty header',
        'id, ,x\n1,2,3\n',
        {},
        'empty-header',
        400,
        1,
        'Column 2 of the header has no name; every column needs one (line 1)',
      ],
      [
        'control character in a header name',
        'id,"a\u0007b"\n' + '1,2\n'.repeat(20),
        {},
        'header-control-character',
        400,
        1,
        'Column 2 of the header, "a\\u0007b", contains the control character U+0007; names may not contain control characters (line 1)',
      ],
      [
        'line break in a quoted header name',
        'id,"a\nb"\n1,2\n',
        {},
        'header-control-character',
        400,
        1,
        'Column 2 of the header, "a\\nb", contains the control character U+000A; names may not contain control characters (line 1)',
      ],
      [
        'C1 control character in a header name',
        'id,a\u0085b\n1,2\n',
        {},
        'header-control-character',
        400,
        1,
        'Column 2 of the header, "a\u0085b", contains the control character U+0085; names may not contain control characters (line 1)',
      ],
      [
        'header name over 256 characters',
        `id,${'é'.repeat(257)}\n1,2\n`,
        {},
        'header-too-long',
        400,
        1,
        `Column 2 of the header, "${'é'.repeat(40)}…", is 257 characters long; names may have at most 256 (line 1)`,
      ],
      [
        'empty first line',
        '\nid,x\n1,2\n',
        {},
        'empty-header',
        400,
        1,
        'Line 1 is empty, but it should name the columns (upload with header=false if the file has no header row)',
      ],
      [
        'Latin-1',
        Buffer.from('a,b\n1,2\ncaf\xe9,3\n', 'latin1'),
        {},
        'not-utf8',
        415,
        3,
        'Line 3 is not valid UTF-8 (unexpected byte 0xE9); save the file as UTF-8 and upload it again',
      ],
      [
        'cut character',
        Buffer.from([...Buffer.from('a,b\n1,'), 0xe2, 0x82]),
        {},
        'not-utf8',
        415,
        2,
        'Line 2 is not valid UTF-8 (the file ends in the middle of a character); save the file as UTF-8 and upload it again',
      ],
      [
        'NUL byte',
        'a,b\n1,2\n3,\u00004\n',
        {},
        'binary-content',
        415,
        3,
        'Line 3 contains a NUL byte: the file looks binary (or UTF-16), not UTF-8 CSV text',
      ],
      [
        'UTF-16',
        Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'),
        {},
        'binary-content',
        415,
        1,
        'Line 1 contains a NUL byte: the file looks binary (or UTF-16), not UTF-8 CSV text',
      ],
      [
        'control characters',
        Buffer.from([0x1b, 0x41, 0x01, 0x42, 0x2c, 0x43, 0x0a, 0x44, 0x45, 0x46]),
        {},
        'binary-content',
        415,
        undefined,
        'The file looks binary, not CSV text: 20% of its first 10 bytes are control characters',
      ],
      [
        'too many columns',
        'a,b,c,d\n1,2,3,4\n',
        { limits },
        'too-many-columns',
        413,
        1,
        'Row 1 has more than 3 fields, the limit (line 1)',
      ],
      [
        'line too long',
        'a,b\n1,2\n123456,123456,1234567\n',
        { limits },
        'line-too-long',
        413,
        3,
        'Line 3 is longer than 20 characters, the limit',
      ],
      [
        'field too long',
        'a,b\n1,123456789\n',
        { limits },
        'field-too-long',
        413,
        2,
        'Field 2 of row 2 is longer than 8 characters, the limit (line 2)',
      ],
      [
        'quoted field too long',
        'a,b\n1,"1234\n5678\n9"\n',
        { limits },
        'field-too-long',
        413,
        2,
        'Field 2 of row 2 is longer than 8 characters, the limit; is a closing quote missing? (line 2)',
      ],
      [
        'too large',
        `a,b\n${'1,2\n'.repeat(20)}`,
        { limits },
        'too-large',
        413,
        undefined,
        'The file is larger than 64 bytes, the limit',
      ],
    ];

    it.each(cases)('%s', async (_, input, options, code, status, line, message) => {
      for (const chunking of ['whole', 'bytes'] as const) {
        const error = await failure(input, options, chunking);
        expect({
          code: error.code,
          status: error.status,
          line: error.line,
          message: error.message,
        }).toEqual({
          code,
          status,
          line,
          message,
        });
      }
    });

    it('stops reading the source at the first error', async () => {
      let released = false;
      let pulled = 0;
      async function* source() {
        try {
          yield Buffer.from('a,b\n1,2,3\n');
          for (;;) {
            await tick();
            pulled += 1;
            yield Buffer.from('4,5\n');
          }
        } finally {
          released = true;
        }
      }
      await expect(openCsv(source())).rejects.toMatchObject({ code: 'ragged-row' });
      expect(released).toBe(true);
      // No further than the 64 KiB sample.
      expect(pulled).toBeLessThanOrEqual(64 * 256);
    });

    it('stops reading the source when closed before iterating', async () => {
      let released = false;
      async function* source() {
        try {
          await tick();
          yield Buffer.from('a\n1\n');
          for (;;) {
            await tick();
            yield Buffer.from('2\n');
          }
        } finally {
          released = true;
        }
      }
      const csv = await openCsv(source());
      expect(csv.columns).toEqual(['a']);
      await csv.close();
      expect(released).toBe(true);
    });

    it('stops reading the source when the consumer stops', async () => {
      let released = false;
      async function* source() {
        try {
          for (let i = 0; ; i++) {
            await tick();
            yield Buffer.from(i === 0 ? 'a\n' : '1\n'.repeat(1000));
          }
        } finally {
          released = true;
        }
      }
      const csv = await openCsv(source(), { batchSize: 10 });
      for await (const batch of csv) {
        expect(batch.length).toBeGreaterThanOrEqual(10);
        break;
      }
      expect(released).toBe(true);
    });
  });
});
