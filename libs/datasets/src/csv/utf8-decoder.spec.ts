import { firstInvalidByte, Utf8DecodeError, Utf8Decoder } from './utf8-decoder';

function decodeAll(chunks: number[][]): string | Utf8DecodeError {
  const decoder = new Utf8Decoder();
  let text = '';
  try {
    for (const chunk of chunks) text += decoder.decode(Uint8Array.from(chunk));
    decoder.end();
    return text;
  } catch (error) {
    if (error instanceof Utf8DecodeError) return error;
    throw error;
  }
}

const bytes = (text: string) => [...Buffer.from(text, 'utf8')];

describe('Utf8Decoder', () => {
  it('joins characters split across chunks', () => {
    const text = 'a€😀ü';
    const all = bytes(text);
    for (let cut = 0; cut <= all.length; cut++) {
      expect(decodeAll([all.slice(0, cut), all.slice(cut)])).toBe(text);
    }
    expect(decodeAll(all.map((byte) => [byte]))).toBe(text);
  });

  it('says where invalid bytes start, even across chunks', () => {
    const result = decodeAll([bytes('ab€'), [0x63, 0xe2], [0x28, 0x41]]);
    expect(result).toBeInstanceOf(Utf8DecodeError);
    // The text before the bad bytes that this call had not returned yet.
    expect(result).toMatchObject({ validPrefix: '', detail: 'unexpected byte 0xE2' });
    expect(decodeAll([bytes('ab'), [0x63, 0x64, 0xe9, 0x41]])).toMatchObject({
      validPrefix: 'cd',
      detail: 'unexpected byte 0xE9',
    });
  });

  it('names a byte that starts no character at once, even as the last byte', () => {
    for (const byte of [0xc0, 0xc1, 0xf5, 0xff]) {
      expect(decodeAll([[0x61, byte]])).toMatchObject({
        validPrefix: 'a',
        detail: `unexpected byte 0x${byte.toString(16).toUpperCase()}`,
      });
    }
  });

  it('keeps a byte order mark as text (the reader strips the file’s own)', () => {
    expect(decodeAll([[0xef, 0xbb, 0xbf, 0x61]])).toBe('\ufeffa');
  });

  it('reports a character cut off at the end', () => {
    expect(decodeAll([bytes('x'), [0xf0, 0x9f]])).toMatchObject({
      detail: 'the file ends in the middle of a character',
    });
  });
});

describe('firstInvalidByte', () => {
  it.each([
    [[0x61, 0x62], 2],
    [[0xc3, 0xa9], 2],
    [[0x61, 0xe9, 0x61], 1],
    [[0xc0, 0x80], 0],
    [[0xe0, 0x80, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xf5], 0],
    [[0x80], 0],
    [[0x61, 0xe2, 0x82], 3],
  ])('%j → %d', (input, index) => {
    expect(firstInvalidByte(Uint8Array.from(input))).toBe(index);
  });
});
