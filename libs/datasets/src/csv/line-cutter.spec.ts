import { LineCutter } from './line-cutter';

/** Offsets where each physical line starts: `\n`, `\r\n` and a lone `\r` end a line. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d) starts.push(bytes[i + 1] === 0x0a ? (i += 1) + 1 : i + 1);
    else if (bytes[i] === 0x0a) starts.push(i + 1);
  }
  return starts;
}

function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length] ?? 1;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('LineCutter', () => {
  const samples = [
    'a,b\n1,2\n3,4\n',
    'a,b\r\n1,2\r\n"x\r\ny",4\r\n',
    'a\r1\r2\r',
    'a,b\n"multi\nline",2\n\n3,4',
    'a\n\n\n1\n',
    'h\r\n\r\nx\r\n',
  ];

  it.each(samples)('cuts %j at every line start, whatever the chunking', (text) => {
    const bytes = Buffer.from(text);
    const starts = lineStarts(bytes);
    for (const sizes of [[bytes.length], [1], [2], [3, 1], [5, 2, 1]]) {
      for (let line = 1; line <= starts.length; line++) {
        const cutter = new LineCutter();
        for (const chunk of chunked(bytes, sizes)) cutter.push(chunk);
        const before = Buffer.concat(cutter.takeBefore(line));
        expect(before.toString()).toBe(bytes.subarray(0, starts[line - 1]).toString());
        expect(cutter.held).toBe(bytes.length - before.length);
      }
    }
  });

  it('cuts repeatedly, continuing the line count, with chunks arriving between cuts', () => {
    const bytes = Buffer.from('h1,h2\r\n1,"a\r\nb"\r\n2,c\r\n3,d\r\n4,e');
    const starts = lineStarts(bytes);
    for (const sizes of [[1], [4], [7, 3]]) {
      const chunks = chunked(bytes, sizes);
      const cutter = new LineCutter();
      const out: Buffer[] = [];
      let line = 1;
      let received = 0;
      for (const chunk of chunks) {
        cutter.push(chunk);
        received += chunk.length;
        // Cut at every line start followed by a byte received (so a CRLF is whole).
        while (line + 1 <= starts.length && (starts[line] ?? Infinity) < received) {
          line += 1;
          out.push(...cutter.takeBefore(line));
        }
      }
      out.push(...cutter.takeRest());
      expect(Buffer.concat(out).toString()).toBe(bytes.toString());
    }
  });

  it('skips a byte order mark without counting it as a line', () => {
    const cutter = new LineCutter();
    cutter.push(Buffer.from('\ufeffa\n1\n'));
    cutter.skip(3);
    expect(Buffer.concat(cutter.takeBefore(2)).toString()).toBe('a\n');
    expect(Buffer.concat(cutter.takeRest()).toString()).toBe('1');
  });

  it('drops the line breaks at the end of the file, over several chunks', () => {
    const cutter = new LineCutter();
    for (const chunk of ['a,b\n1,"x\n"', '\r\n', '\n', '\r']) cutter.push(Buffer.from(chunk));
    expect(Buffer.concat(cutter.takeRest()).toString()).toBe('a,b\n1,"x\n"');
    expect(cutter.held).toBe(0);
  });

  it('refuses a line beyond the held bytes', () => {
    const cutter = new LineCutter();
    cutter.push(Buffer.from('a\n'));
    expect(() => cutter.takeBefore(3)).toThrow(RangeError);
  });
});
