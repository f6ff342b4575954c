/**
 * Bytes that are not UTF-8. `validPrefix` is the text before them that the failing
 * call had not returned yet, so the caller can count the lines up to the bad byte.
 */
export class Utf8DecodeError extends Error {
  constructor(
    readonly validPrefix: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * Strict streaming UTF-8 decoding: a character split across chunks is joined, and
 * invalid bytes fail (WHATWG `fatal`, ~500 MB/s here) instead of becoming U+FFFD.
 * On failure it also finds where, which the fast decoder does not say.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The bytes of an unfinished character at the end of the last chunk. */
  private pending: Uint8Array = new Uint8Array(0);

  decode(bytes: Uint8Array): string {
    try {
      const text = this.decoder.decode(bytes, { stream: true });
      this.pending = unfinishedTail(bytes, this.pending);
      return text;
    } catch {
      const joined = concat(this.pending, bytes);
      const bad = firstInvalidByte(joined);
      const prefix = Buffer.from(joined.buffer, joined.byteOffset, bad).toString('utf8');
      throw new Utf8DecodeError(
        prefix,
        bad < joined.length ? `unexpected byte 0x${hex(joined[bad])}` : 'an unfinished character',
      );
    }
  }

  /** The input is over: an unfinished character left over is an error. */
  end(): void {
    try {
      this.decoder.decode();
    } catch {
      throw new Utf8DecodeError('', 'the file ends in the middle of a character');
    }
  }
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/**
 * The trailing bytes of `bytes` (≤ 3) that start a character not finished yet, given
 * the bytes still unfinished before it (a chunk may be shorter than one character).
 */
function unfinishedTail(bytes: Uint8Array, before: Uint8Array): Uint8Array {
  const all = bytes.length >= 4 ? bytes : concat(before, bytes);
  const end = all.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = all[i];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < length ? all.slice(i) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * Index of the first byte that does not start a well-formed UTF-8 character (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF); `bytes.length` when all
 * are fine or the only problem is a character cut off at the end.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= n) return n;
      const c = bytes[i + k];
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return n;
}
