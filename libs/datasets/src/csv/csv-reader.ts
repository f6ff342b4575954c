import { CsvError } from './csv-errors';
import { type CsvLimits, type CsvReadOptions, DEFAULT_CSV_LIMITS } from './csv-options';
import type { CsvRow } from './csv-rows';
import { CsvTokenizer } from './csv-tokenizer';
import { sniffDelimiter, type CsvDelimiter } from './delimiter-sniffer';
import { headerNames } from './header-names';
import { binaryAt, checkNotBinary, decodeSample, notUtf8 } from './text-content';
import { Utf8DecodeError, Utf8Decoder } from './utf8-decoder';

/** Bytes read before deciding anything: binary sniffing and delimiter sniffing. */
const SAMPLE_BYTES = 64 * 1024;
/** Longer chunks are cut, so one batch never holds more than one piece of text. */
const PIECE_BYTES = 64 * 1024;
const DEFAULT_BATCH_SIZE = 1024;
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Opens a CSV upload: reads its start (64 KiB, or to the end of the header row),
 * checks it is UTF-8 text, settles the delimiter and the column names, and returns
 * a {@link CsvFile} whose iteration streams the data rows in batches. Everything
 * wrong with the file is a {@link CsvError} naming the line, thrown here (the source
 * is then released) or during iteration.
 *
 * The rows are the ones PostgreSQL's `COPY ... (FORMAT csv, DELIMITER <delimiter>)`
 * reads from the same bytes after the header (see ./csv-tokenizer).
 */
export function openCsv(
  source: AsyncIterable<Uint8Array>,
  options: CsvReadOptions = {},
): Promise<CsvFile> {
  return CsvFile.open(source, options);
}

/**
 * One CSV file being read, header known. Iterate it once to get the data rows in
 * order, as batches; memory stays bounded by the batch size and the limits, however
 * large the file. Each row has exactly `columns.length` fields. Iterating to the
 * end, breaking off, or {@link close} releases the source.
 */
export class CsvFile implements AsyncIterable<CsvRow[]> {
  readonly header: boolean;
  private names: string[] = [];
  private separator: CsvDelimiter = ',';
  private startsWithBom = false;
  private dataLine = 1;

  private readonly limits: CsvLimits;
  private readonly batchSize: number;
  private readonly decoder = new Utf8Decoder();
  private tokenizer: CsvTokenizer | undefined;
  private bytes = 0;
  private tokenized = 0;
  private dataRows = 0;
  /** The source has ended (or was released). */
  private done = false;
  private finished = false;
  /** Bytes read but not tokenized yet: `queue[queued…]`. */
  private queue: Uint8Array[] = [];
  private queued = 0;
  private iterated = false;

  private constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly options: CsvReadOptions,
  ) {
    this.header = options.header ?? true;
    this.limits = { ...DEFAULT_CSV_LIMITS, ...options.limits };
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** See {@link openCsv}. */
  static async open(source: AsyncIterable<Uint8Array>, options: CsvReadOptions): Promise<CsvFile> {
    const file = new CsvFile(source[Symbol.asyncIterator](), options);
    try {
      await file.readHeader();
    } catch (error) {
      await file.close();
      throw error;
    }
    return file;
  }

  /** Column names for display: the trimmed header names, or `column_1`, `column_2`, … */
  get columns(): readonly string[] {
    return this.names;
  }

  /** The delimiter given, or the one sniffed. */
  get delimiter(): CsvDelimiter {
    return this.separator;
  }

  /** Whether the file starts with a UTF-8 byte order mark (not data; COPY must not see it). */
  get bom(): boolean {
    return this.startsWithBom;
  }

  /** The physical line where the data rows start: 1, or the line after the header row. */
  get firstDataLine(): number {
    return this.dataLine;
  }

  /**
   * The physical line (1-based, BOM and header included) where the first row not yet
   * yielded starts. Between batches, the bytes of every earlier line belong to the
   * header or to rows already yielded; after the end, to the file's last row.
   */
  get nextRowLine(): number {
    return this.requireTokenizer().nextRowLine;
  }

  /** Data rows yielded so far: the row count once iteration has finished. */
  get rowCount(): number {
    return this.dataRows;
  }

  /** Bytes read so far: the file size once iteration has finished. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Bytes handed to the tokenizer so far (the rows yielded come from at most these). */
  get tokenizedBytes(): number {
    return this.tokenized;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CsvRow[]> {
    if (this.iterated) throw new Error('A CsvFile can be iterated only once');
    this.iterated = true;
    const tokenizer = this.requireTokenizer();
    try {
      for (;;) {
        if (tokenizer.rows.length >= this.batchSize) yield this.takeRows();
        const piece = await this.nextPiece();
        if (piece === undefined) break;
        this.pushBytes(piece);
      }
      this.finish();
      if (tokenizer.rows.length > 0) yield this.takeRows();
      if (this.dataRows === 0 && this.header) {
        throw new CsvError('header-only', 'The file has a header row but no data rows');
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading the source (a Readable is destroyed) unless it has ended. Idempotent. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.source.return?.();
  }

  private async readHeader(): Promise<void> {
    const chunks = await this.readSample();
    const sample = Buffer.concat(chunks);
    this.startsWithBom = BOM.every((byte, i) => sample[i] === byte);
    const body = this.startsWithBom ? sample.subarray(BOM.length) : sample;
    checkNotBinary(body);
    const text = decodeSample(body, this.done);
    if (this.done && text.trim() === '') {
      throw new CsvError('empty-file', 'The file is empty (or holds only whitespace)');
    }
    this.separator = this.options.delimiter ?? sniffDelimiter(text, this.done);
    const tokenizer = new CsvTokenizer(this.separator, this.limits);
    tokenizer.firstRowIsHeader = this.header;
    tokenizer.allowRagged = this.options.allowRagged ?? false;
    tokenizer.onFirstRow = (row) => {
      this.names = this.header ? headerNames(row) : row.map((_, i) => `column_${i + 1}`);
      // Called as the first row ends: the tokenizer is at the line after it.
      if (this.header) this.dataLine = tokenizer.nextRowLine;
    };
    this.tokenizer = tokenizer;
    // The sample's chunks go through as they came (BOM cut off), so the tokenizer
    // meets the same chunk boundaries as in the rest of the file; only as far as the
    // first row here, the rest while iterating.
    let skip = this.startsWithBom ? BOM.length : 0;
    for (const chunk of chunks) {
      this.enqueue(chunk.subarray(Math.min(skip, chunk.length)));
      skip = Math.max(0, skip - chunk.length);
    }
    while (tokenizer.rows.length === 0) {
      const piece = await this.nextPiece();
      if (piece === undefined) {
        this.finish();
        break;
      }
      this.pushBytes(piece);
    }
    if (this.header) tokenizer.rows.shift();
  }

  private requireTokenizer(): CsvTokenizer {
    if (this.tokenizer === undefined) throw new Error('Use openCsv() to open a CsvFile');
    return this.tokenizer;
  }

  private takeRows(): CsvRow[] {
    const tokenizer = this.requireTokenizer();
    const rows = tokenizer.rows;
    tokenizer.rows = [];
    this.dataRows += rows.length;
    return rows;
  }

  /** The next chunk of the source, counted against the byte limit; undefined at the end. */
  private async next(): Promise<Uint8Array | undefined> {
    const result = await this.source.next();
    if (result.done === true) {
      this.done = true;
      return undefined;
    }
    const chunk = result.value;
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('CSV sources must yield bytes (a Readable without an encoding)');
    }
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      throw new CsvError(
        'too-large',
        `The file is larger than ${this.limits.maxBytes} bytes, the limit`,
      );
    }
    return chunk;
  }

  private async readSample(): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    let length = 0;
    while (length < SAMPLE_BYTES) {
      const chunk = await this.next();
      if (chunk === undefined) break;
      chunks.push(chunk);
      length += chunk.length;
    }
    return chunks;
  }

  /** Queues a chunk in pieces of at most 64 KiB, so one piece never makes a huge batch. */
  private enqueue(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.length; offset += PIECE_BYTES) {
      this.queue.push(chunk.subarray(offset, offset + PIECE_BYTES));
    }
  }

  /** The next piece of bytes to tokenize, from the queue or else the source. */
  private async nextPiece(): Promise<Uint8Array | undefined> {
    while (this.queued === this.queue.length) {
      this.queue = [];
      this.queued = 0;
      const chunk = this.done ? undefined : await this.next();
      if (chunk === undefined) return undefined;
      this.enqueue(chunk);
    }
    const piece = this.queue[this.queued];
    this.queued += 1;
    return piece;
  }

  private pushBytes(bytes: Uint8Array): void {
    const tokenizer = this.requireTokenizer();
    this.tokenized += bytes.length;
    const nul = bytes.indexOf(0);
    try {
      if (nul >= 0) {
        tokenizer.push(this.decoder.decode(bytes.subarray(0, nul)));
        throw binaryAt(tokenizer.currentLine);
      }
      tokenizer.push(this.decoder.decode(bytes));
    } catch (error) {
      if (!(error instanceof Utf8DecodeError)) throw error;
      tokenizer.push(error.validPrefix);
      throw notUtf8(error, tokenizer.currentLine);
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const tokenizer = this.requireTokenizer();
    try {
      this.decoder.end();
    } catch (error) {
      if (!(error instanceof Utf8DecodeError)) throw error;
      throw notUtf8(error, tokenizer.currentLine);
    }
    tokenizer.end();
  }
}
