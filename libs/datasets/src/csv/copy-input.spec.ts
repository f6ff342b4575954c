import { Readable } from 'node:stream';
import { copyInput } from './copy-input';

async function through(chunks: string[] | Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  const buffers = chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  for await (const chunk of Readable.from(buffers).pipe(copyInput())) out.push(chunk as Buffer);
  return Buffer.concat(out).toString('utf8');
}

function everyCut(text: string): Buffer[][] {
  const bytes = Buffer.from(text);
  const cuts: Buffer[][] = [[bytes], [...bytes].map((byte) => Buffer.from([byte]))];
  for (let at = 1; at < bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return cuts;
}

describe('copyInput', () => {
  it.each([
    ['passes a plain file through', 'a,b\n1,2\n', 'a,b\n1,2\n'],
    ['strips a BOM', '\ufeffa,b\n1,2\n', 'a,b\n1,2\n'],
    ['keeps a missing final line break missing', 'a,b\n1,2', 'a,b\n1,2'],
    ['drops empty lines at the end', 'a,b\n1,2\n\n\n', 'a,b\n1,2\n'],
    ['drops CRLF empty lines at the end', 'a,b\r\n1,2\r\n\r\n', 'a,b\r\n1,2\r\n'],
    ['drops CR empty lines at the end', 'a\r1\r\r', 'a\r1\r'],
    ['keeps empty lines inside', 'a\n\n\n1\n\n', 'a\n\n\n1\n'],
    ['keeps a BOM-like sequence after the start', 'a\n\ufeff\n', 'a\n\ufeff\n'],
    ['passes an empty file', '', ''],
  ])('%s', async (_, input, output) => {
    for (const chunks of everyCut(input)) expect(await through(chunks)).toBe(output);
  });
});
