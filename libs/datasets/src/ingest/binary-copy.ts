import type { CsvRow } from '../csv/csv-rows';
import { isDigit, MS_PER_DAY } from '../csv/temporal-values';
import type { StoredType } from './column-storage';

/**
 * Rows for `COPY ... FROM STDIN (FORMAT binary)`, built from the values the reader has
 * already parsed: PostgreSQL then stores them as they come instead of parsing the CSV
 * text again (its CSV and number parsing is about half of its COPY time), so the parse
 * is done once, in Node, for the types, the profile and the table alike.
 *
 * Each value is the one PostgreSQL's own input function would make of the field's text
 * (test/integration/binary-copy.spec.ts loads tricky values both ways and compares what
 * is stored):
 * - `bigint`: the integer; beyond 2^53, where the double is not exact, from the text;
 * - `double precision`: the correctly rounded double (as strtod), `-0` kept;
 * - `date`: days since 2000-01-01; `timestamp with time zone`: microseconds since
 *   2000-01-01 UTC, with the fraction of a second rounded as PostgreSQL rounds it;
 * - `boolean`; `text`: the field's UTF-8 bytes; an empty field of a typed column is NULL.
 *
 * Format: "Binary Format" in https://www.postgresql.org/docs/current/sql-copy.html
 */

/** `PGCOPY\n\377\r\n\0`, flags (no OIDs), header extension length. */
const HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** A field count of -1 ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);

/** How a column's values are encoded; numbers, so the row loop switches on a small int. */
const enum Encoding {
  Text,
  Int8,
  Float8,
  Bool,
  Date,
  Timestamptz,
}

const ENCODINGS: Readonly<Record<StoredType, Encoding>> = {
  integer: Encoding.Int8,
  number: Encoding.Float8,
  boolean: Encoding.Bool,
  date: Encoding.Date,
  datetime: Encoding.Timestamptz,
  string: Encoding.Text,
  unknown: Encoding.Text,
};

/** Largest bytes of a fixed-size field: length word and an 8-byte value. */
const MAX_FIXED_FIELD = 12;
const BLOCK_BYTES = 64 * 1024;
const TWO_32 = 4294967296;
/** Doubles are exact integers below this magnitude. */
const TWO_53 = 9007199254740992;
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for dates and timestamps, in Unix ms and days. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const POSTGRES_EPOCH_DAYS = 10_957;
const ZERO = 0x30;
const MINUS = 0x2d;
// Read once: a global lookup per call costs ~0.3 µs in Jest's vm context (see profiling/hash.ts).
const floor = Math.floor;

export function binaryCopyHeader(): Buffer {
  return Buffer.from(HEADER);
}

export function binaryCopyTrailer(): Buffer {
  return Buffer.from(TRAILER);
}

/**
 * Encodes windows of rows into COPY binary tuples, in fresh buffers of about 64 KiB
 * (handed to COPY and never written again, so the socket may hold them).
 */
export class BinaryCopyEncoder {
  private encodings: Encoding[] = [];
  private block: Buffer = Buffer.alloc(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private position = 0;
  private filled: Buffer[] = [];

  /** The stored type of each column for the rows encoded from now on. */
  setTypes(types: readonly StoredType[]): void {
    this.encodings = types.map((type) => ENCODINGS[type]);
  }

  /**
   * Encodes the rows of `windows` (batches, in order); `values[c]` holds column c's values
   * as numbers, one per row across the batches (TypeTracker.observeValue: NaN for an
   * empty field), read for the typed columns. Returns the buffers filled so far, the
   * last one cut at the end of these rows.
   */
  encode(windows: readonly CsvRow[][], values: readonly Float64Array[]): Buffer[] {
    const encodings = this.encodings;
    const columns = encodings.length;
    const rowBytes = 2 + columns * MAX_FIXED_FIELD;
    let offset = 0;
    // Indexed, not for-of: an iterator's result object was one more shape for the JIT to
    // learn, and its first window deoptimised the compiled loop (--trace-deopt).
    for (let w = 0; w < windows.length; w++) {
      const rows = windows[w];
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        if (this.block.length - this.position < rowBytes) this.newBlock(rowBytes);
        // The position lives in a local through the row; `this` is updated at its end.
        let view = this.view;
        let at = this.position;
        view.setInt16(at, columns);
        at += 2;
        for (let c = 0; c < columns; c++) {
          const field = row[c] ?? null;
          const encoding = encodings[c];
          if (encoding === Encoding.Text) {
            if (field === null) {
              view.setInt32(at, -1);
              at += 4;
              continue;
            }
            // UTF-8 takes at most 3 bytes per UTF-16 unit; the rest of the row must fit after it.
            const room = 4 + 3 * field.length + rowBytes;
            if (this.block.length - at < room) {
              this.position = at;
              this.newBlock(room);
              view = this.view;
              at = 0;
            }
            at = writeText(this.block, view, at, field);
            continue;
          }
          const x = values[c][offset + r];
          if (x !== x) {
            view.setInt32(at, -1);
            at += 4;
          } else {
            at = writeTyped(view, at, encoding, x, field as string);
          }
        }
        this.position = at;
      }
      offset += rows.length;
    }
    return this.take();
  }

  private newBlock(atLeast: number): void {
    if (this.position > 0) this.filled.push(this.block.subarray(0, this.position));
    this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, atLeast));
    this.view = new DataView(this.block.buffer, this.block.byteOffset, this.block.length);
    this.position = 0;
  }

  private take(): Buffer[] {
    if (this.position > 0) {
      this.filled.push(this.block.subarray(0, this.position));
      // The rest of the block is not reused: COPY may still hold what was handed over.
      this.block = Buffer.alloc(0);
      this.view = new DataView(new ArrayBuffer(0));
      this.position = 0;
    }
    const filled = this.filled;
    this.filled = [];
    return filled;
  }
}

/** A text field's UTF-8 bytes after their length; returns the position after them. */
function writeText(block: Buffer, view: DataView, at: number, field: string): number {
  const start = at + 4;
  const length = field.length;
  let end = start;
  for (let i = 0; i < length; i++) {
    const c = field.charCodeAt(i);
    if (c >= 0x80) {
      end = start + block.write(field, start, 'utf8');
      break;
    }
    block[end++] = c;
  }
  view.setInt32(at, end - start);
  return end;
}

/** A non-empty field of a typed column, from its value `x`; returns the position after it. */
function writeTyped(
  view: DataView,
  at: number,
  encoding: Exclude<Encoding, Encoding.Text>,
  x: number,
  field: string,
): number {
  switch (encoding) {
    case Encoding.Int8:
      view.setInt32(at, 8);
      if (x > -TWO_53 && x < TWO_53) writeInt64(view, at + 4, x);
      else view.setBigInt64(at + 4, BigInt(field));
      return at + 12;
    case Encoding.Float8:
      view.setInt32(at, 8);
      view.setFloat64(at + 4, x === 0 && isNegativeZero(field) ? -0 : x);
      return at + 12;
    case Encoding.Bool:
      view.setInt32(at, 1);
      view.setUint8(at + 4, x);
      return at + 5;
    case Encoding.Date:
      view.setInt32(at, 4);
      view.setInt32(at + 4, x / MS_PER_DAY - POSTGRES_EPOCH_DAYS);
      return at + 8;
    case Encoding.Timestamptz:
      view.setInt32(at, 8);
      writeInt64Micros(view, at + 4, x - POSTGRES_EPOCH_MS, subMillisecondMicros(field));
      return at + 12;
  }
}

/** An integer of magnitude below 2^53 as an int64. */
function writeInt64(view: DataView, at: number, x: number): void {
  const high = floor(x / TWO_32);
  view.setInt32(at, high);
  view.setUint32(at + 4, x - high * TWO_32);
}

/**
 * `ms * 1000 + micros` as an int64: the product passes 2^53 for years past 2255, so it
 * is built from the 32-bit halves of `ms`, each product exact as a double.
 */
function writeInt64Micros(view: DataView, at: number, ms: number, micros: number): void {
  const high = floor(ms / TWO_32);
  const low = (ms - high * TWO_32) * 1000 + micros;
  const carry = floor(low / TWO_32);
  view.setInt32(at, high * 1000 + carry);
  view.setUint32(at + 4, low - carry * TWO_32);
}

/** `-0` (any spelling: `-0.0`, ` -0e5`): float8in keeps the sign, the reader's value does not. */
function isNegativeZero(field: string): boolean {
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c === MINUS) return true;
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return false;
}

/**
 * Microseconds past the milliseconds the reader kept (it cuts a fraction of a second
 * after 3 digits): digits 4–6 of the fraction, or, for a longer fraction, what
 * PostgreSQL's rounding adds (`rint(strtod(".ddd…") * 1e6)`, half to even; up to
 * 1000 when it carries into the next millisecond).
 */
export function subMillisecondMicros(field: string): number {
  const dot = field.indexOf('.');
  if (dot < 0) return 0;
  let end = dot + 1;
  while (end < field.length && isDigit(field.charCodeAt(end))) end += 1;
  const digits = end - dot - 1;
  if (digits <= 3) return 0;
  if (digits <= 6) {
    let micros = 0;
    for (let i = dot + 4; i < dot + 7; i++) {
      micros = micros * 10 + (i < end ? field.charCodeAt(i) - ZERO : 0);
    }
    return micros;
  }
  const fraction = roundHalfEven(Number(field.slice(dot, end)) * 1_000_000);
  let milliseconds = 0;
  for (let i = dot + 1; i < dot + 4; i++)
    milliseconds = milliseconds * 10 + field.charCodeAt(i) - ZERO;
  return fraction - milliseconds * 1000;
}

/** C's rint() in the default rounding mode. */
function roundHalfEven(x: number): number {
  const below = floor(x);
  const rest = x - below;
  if (rest !== 0.5) return Math.round(x);
  return below % 2 === 0 ? below : below + 1;
}
