const LF = 0x0a;
const CR = 0x0d;

/**
 * Holds the bytes of an upload that have not been handed on yet (to `COPY ... FROM
 * STDIN`) and cuts them at the start of a physical line, counting line breaks the
 * way the CSV tokenizer does: `\n`, `\r\n` and a lone `\r` are one each, inside
 * quoted fields too. With {@link CsvFile.nextRowLine} this lets the bytes of rows
 * the reader has already checked go on while the rest wait, and lets the stream be
 * cut exactly between two rows when a column's type has to change.
 *
 * Chunks are kept as given (no copy) and scanned once, with `indexOf`.
 */
export class LineCutter {
  private chunks: Buffer[] = [];
  /** Physical line at which the held bytes start. */
  private line = 1;
  /** The byte before the held bytes was a `\r`, so a leading `\n` completes a CRLF. */
  private afterCr = false;
  private heldBytes = 0;

  /** Bytes held, not yet taken. */
  get held(): number {
    return this.heldBytes;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.chunks.push(bytes);
    this.heldBytes += bytes.length;
  }

  /** Drops the first `count` held bytes (a byte order mark) without counting lines. */
  skip(count: number): void {
    let left = count;
    while (left > 0 && this.chunks.length > 0) {
      const first = this.chunks[0];
      const cut = Math.min(left, first.length);
      this.removeFront(cut);
      left -= cut;
    }
  }

  /**
   * Takes the held bytes before the start of physical line `line`; nothing when the
   * held bytes already start there. The line must start within the held bytes.
   */
  takeBefore(line: number): Buffer[] {
    const taken: Buffer[] = [];
    while (this.line < line) {
      const chunk = this.chunks[0];
      if (chunk === undefined) {
        throw new RangeError(`Line ${line} does not start within the held bytes`);
      }
      const end = this.scan(chunk, line);
      if (end === chunk.length) {
        taken.push(chunk);
        this.afterCr = chunk[chunk.length - 1] === CR;
        this.chunks.shift();
        this.heldBytes -= chunk.length;
        // A CRLF split over two chunks: the line starts after the `\n`.
        if (this.line === line && this.afterCr && this.chunks[0]?.[0] === LF) {
          taken.push(this.removeFront(1));
        }
      } else {
        taken.push(this.removeFront(end));
      }
    }
    return taken;
  }

  /** Takes everything held, without the line breaks at the very end (empty lines are not rows). */
  takeRest(): Buffer[] {
    const taken = this.chunks;
    this.chunks = [];
    this.heldBytes = 0;
    while (taken.length > 0) {
      const last = taken[taken.length - 1];
      let end = last.length;
      while (end > 0 && (last[end - 1] === LF || last[end - 1] === CR)) end -= 1;
      if (end > 0) {
        taken[taken.length - 1] = last.subarray(0, end);
        break;
      }
      taken.pop();
    }
    return taken;
  }

  /**
   * Counts line breaks in `chunk` until line `target` starts; returns the offset
   * where it does, or the chunk's length when it does not start in this chunk.
   */
  private scan(chunk: Buffer, target: number): number {
    let nextLf = chunk.indexOf(LF);
    let nextCr = chunk.indexOf(CR);
    for (;;) {
      const atCr = nextCr !== -1 && (nextLf === -1 || nextCr < nextLf);
      const at = atCr ? nextCr : nextLf;
      if (at === -1) return chunk.length;
      if (atCr) {
        nextCr = chunk.indexOf(CR, at + 1);
        this.line += 1;
        if (this.line === target) {
          // CRLF: the new line starts after the `\n` (which may be in the next chunk).
          return chunk[at + 1] === LF ? at + 2 : at + 1;
        }
      } else {
        nextLf = chunk.indexOf(LF, at + 1);
        const endsCrlf = at === 0 ? this.afterCr : chunk[at - 1] === CR;
        if (!endsCrlf) {
          this.line += 1;
          if (this.line === target) return at + 1;
        }
      }
    }
  }

  /** Removes and returns the first `count` bytes of the first chunk. */
  private removeFront(count: number): Buffer {
    const first = this.chunks[0];
    const front = first.subarray(0, count);
    this.afterCr = count > 0 ? front[count - 1] === CR : this.afterCr;
    if (count === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(count);
    this.heldBytes -= count;
    return front;
  }
}
