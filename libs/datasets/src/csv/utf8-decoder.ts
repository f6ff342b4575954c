import { isUtf8 } from 'node:buffer';

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
 * invalid bytes fail instead of becoming U+FFFD. Each chunk is checked with
 * `buffer.isUtf8` (simdutf, several GB/s) and then decoded by V8, five times faster
 * than a fatal `TextDecoder` (ICU) here. A BOM is text like any other (the reader
 * strips the file's own). On failure it also finds where, which the check does not say.
 */
export class Utf8Decoder {
  /** The bytes of an unfinished character at the end of the last chunk. */
  private pending: Uint8Array = new Uint8Array(0);

  decode(bytes: Uint8Array): string {
    const joined = concat(this.pending, bytes);
    const complete = joined.length - unfinishedTailLength(joined);
    const body = Buffer.from(joined.buffer, joined.byteOffset, complete);
    if (!isUtf8(body)) {
      const bad = firstInvalidByte(body);
      throw new Utf8DecodeError(
        body.toString('utf8', 0, bad),
        bad < complete ? `unexpected byte 0x${hex(joined[bad])}` : 'an unfinished character',
      );
    }
    // A copy: the tail must outlive a chunk its source may reuse.
    this.pending = joined.slice(complete);
    return body.toString('utf8');
  }

  /** The input is over: an unfinished character left over is an error. */
  end(): void {
    if (this.pending.length > 0) {
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
 * How many bytes at the end of `bytes` (0–3) begin a character that is not finished
 * yet. Bytes that could never finish one are left in, for the check to refuse.
 */
function unfinishedTailLength(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = bytes[i];
    if ((byte & 0xc0) === 0x80) continue;
    // 0xC0, 0xC1 and 0xF5–0xFF start nothing: length 1, so the check sees them now.
    const length = byte >= 0xf5 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 1;
    return end - i < length ? end - i : 0;
  }
  return 0;
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
