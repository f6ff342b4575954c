import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** More empty lines in a row than this are passed on rather than held (see below). */
const MAX_HELD_BYTES = 1024 * 1024;

/**
 * The bytes of an upload as PostgreSQL's `COPY ... FROM STDIN (FORMAT csv)` must see
 * them to store exactly the rows {@link openCsv} reads from the same upload: without
 * a leading byte order mark (which COPY would take for data) and without the empty
 * lines at the end of the file (which the reader drops and COPY would read as rows of
 * one null field). Everything else passes through untouched, chunk by chunk.
 *
 * The line breaks at the end of each chunk are held back until a later byte shows
 * they are not the end of the file; at the end only the first line break is kept.
 * A run of more than 1 MiB of line breaks is passed on instead, to keep memory
 * bounded: should it end the file, COPY stores more rows than the reader counted,
 * which is why the caller should compare the two counts before committing.
 */
export function copyInput(): Transform {
  let start = true;
  let held = Buffer.alloc(0);
  let bomBytes = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      let bytes = chunk;
      if (start) {
        // The BOM may arrive split over chunks of one or two bytes.
        bomBytes = Buffer.concat([bomBytes, bytes]);
        if (bomBytes.length < BOM.length && BOM.subarray(0, bomBytes.length).equals(bomBytes)) {
          callback();
          return;
        }
        start = false;
        bytes = BOM.equals(bomBytes.subarray(0, BOM.length))
          ? bomBytes.subarray(BOM.length)
          : bomBytes;
      }
      let end = bytes.length;
      while (end > 0 && (bytes[end - 1] === CR || bytes[end - 1] === LF)) end -= 1;
      if (end === 0 && held.length + bytes.length <= MAX_HELD_BYTES) {
        held = Buffer.concat([held, bytes]);
      } else if (end === 0) {
        this.push(held);
        held = Buffer.from(bytes);
      } else {
        if (held.length > 0) this.push(held);
        this.push(bytes.subarray(0, end));
        held = Buffer.from(bytes.subarray(end));
      }
      callback();
    },
    flush(callback: TransformCallback): void {
      // Still at the start: at most two bytes of a BOM, which are not UTF-8 text anyway.
      const lineBreak = held[0] === CR && held[1] === LF ? 2 : Math.min(held.length, 1);
      if (lineBreak > 0) this.push(held.subarray(0, lineBreak));
      callback();
    },
  });
}
