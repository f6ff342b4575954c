import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import type { from as copyFrom } from 'pg-copy-streams';
import type { CsvReadOptions } from '../csv/csv-options';
import { type CsvFile, openCsv } from '../csv/csv-reader';
import type { CsvRow } from '../csv/csv-rows';
import { columnIdentifiers } from '../csv/identifiers';
import { type ColumnType, TypeTracker } from '../csv/type-inference';
import type { ColumnProfile } from '../profiling/column-profiler';
import { InlineTypedProfiles, type TypedProfiles } from '../profiling/typed-profiles';
import {
  type ColumnWidening,
  DatasetTableRepository,
} from '../repositories/dataset-table.repository';
import { BinaryCopyEncoder, binaryCopyHeader, binaryCopyTrailer } from './binary-copy';
import { ColumnProfileBuilder } from './column-profile-builder';
import type { StoredType } from './column-storage';

/**
 * Bytes read before the table is created: the types it starts with come from them.
 * Small, because PostgreSQL has nothing to do until the table exists, and the first
 * bytes of a fresh process are its slowest (its parser not yet optimised by the JIT):
 * with 1 MiB here PostgreSQL sat idle for the first ~0.1 s of every upload. Types a
 * bigger sample would have caught cost a rewrite of the rows stored before them (see
 * `widen` below).
 */
const DEFAULT_SAMPLE_BYTES = 64 * 1024;
/** Bytes of rows checked and profiled at a time once the table exists. */
const WINDOW_BYTES = 256 * 1024;
const TOP_VALUES = 10;
/**
 * Bytes handed to COPY but not yet taken by PostgreSQL before the reader waits: about
 * two windows. The socket's own buffers already let Node parse the next rows while
 * PostgreSQL stores the last ones; a chunk held longer outlives two young-generation
 * collections, moves to the old generation and is freed only by a full collection.
 * With 4 MiB here ~50 MB of such dead chunks piled up between full collections (peak
 * RSS 247–267 MB for a 400 MB upload, 203–204 MB with this; same upload time).
 */
const COPY_BUFFER_BYTES = 2 * WINDOW_BYTES;

/** A column of a stored dataset: display name, SQL column name, type. */
export interface DatasetColumn {
  name: string;
  column: string;
  type: ColumnType;
}

/** A column whose type widened after rows were stored with the narrower one. */
export interface TypeChange {
  column: string;
  from: StoredType;
  to: ColumnType;
  /** Rows stored before the change (their values were converted to the new type). */
  rowsBefore: number;
}

export interface CsvLoadOptions extends CsvReadOptions {
  /** Schema-qualified, quoted name of the table to create (it must not exist). */
  table: string;
  /** Bytes read before the table is created, to settle the initial types. */
  sampleBytes?: number;
  /** Bytes of rows checked and profiled at a time once the table exists. */
  windowBytes?: number;
  /**
   * Where the typed columns are profiled (ProfileThreadService.open(): on the profile thread);
   * by default on this thread. Closed when the load ends, however it ends.
   */
  typedProfiles?: TypedProfiles;
}

export interface CsvLoadResult {
  columns: DatasetColumn[];
  rowCount: number;
  byteSize: number;
  delimiter: string;
  profile: ColumnProfile[];
  typeChanges: TypeChange[];
}

/**
 * Streams a CSV upload into a new typed table with `COPY ... FROM STDIN` while
 * profiling it in the same pass, on a connection whose transaction the caller owns
 * (and rolls back if this throws: nothing is left behind).
 *
 * The CSV is parsed once, here: the reader's rows are checked against the column
 * types, the values read by that check feed the profile, and the same values go to
 * PostgreSQL as binary COPY tuples (./binary-copy), which it stores without parsing
 * text (CSV text made up about half of its COPY time). Rows reach PostgreSQL a window
 * at a time, once every value in the window has been checked, so a value that does not
 * fit a column's current type is seen before its rows are sent: the `COPY` is ended
 * before that window, the column is widened in place (`ALTER TABLE ... TYPE ...
 * USING`, which rewrites the rows stored so far), and a new `COPY` carries on. Types
 * start from the first {@link DEFAULT_SAMPLE_BYTES} and only ever widen (see `widen` in
 * ../csv/type-inference), so a file needs at most a few such rewrites, and none when
 * its first 64 KiB are representative.
 */
export async function loadCsvIntoTable(
  client: ClientBase,
  source: AsyncIterable<Uint8Array>,
  options: CsvLoadOptions,
): Promise<CsvLoadResult> {
  const typedProfiles = options.typedProfiles ?? new InlineTypedProfiles();
  try {
    const file = await openCsv(source, options);
    const table = new DatasetTableRepository(client, options.table);
    const loader = new CsvTableLoader(table, file, options, typedProfiles);
    try {
      return await loader.load();
    } catch (error) {
      await loader.abort(error);
      throw error;
    } finally {
      await file.close();
    }
  } finally {
    typedProfiles.close();
  }
}

class CsvTableLoader {
  private readonly columns: ReturnType<typeof columnIdentifiers>;
  private readonly trackers: TypeTracker[];
  private readonly profiles: ColumnProfileBuilder[];
  /**
   * Per column, the values of the window's rows as numbers, read by the type check
   * (TypeTracker.observeValue) for the profile; `windowRows` of them are in use.
   */
  private values: Float64Array[];
  private windowRows = 0;
  private stored: StoredType[] | undefined;
  private readonly encoder = new BinaryCopyEncoder();
  private copy: ReturnType<typeof copyFrom> | undefined;
  private copiedRows = 0;
  private readonly typeChanges: TypeChange[] = [];

  constructor(
    private readonly table: DatasetTableRepository,
    private readonly file: CsvFile,
    private readonly options: CsvLoadOptions,
    private readonly typedProfiles: TypedProfiles,
  ) {
    this.columns = columnIdentifiers(file.columns);
    this.trackers = this.columns.map(() => new TypeTracker());
    this.profiles = this.columns.map(
      ({ name }, i) => new ColumnProfileBuilder(name, i, typedProfiles),
    );
    this.values = this.columns.map(() => new Float64Array(0));
  }

  async load(): Promise<CsvLoadResult> {
    const file = this.file;
    const sampleBytes = this.options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
    const windowBytes = this.options.windowBytes ?? WINDOW_BYTES;
    let window: CsvRow[][] = [];
    let windowStart = 0;
    for await (const batch of file) {
      this.observe(batch);
      window.push(batch);
      const held = file.tokenizedBytes - windowStart;
      if (held >= (this.stored === undefined ? sampleBytes : windowBytes)) {
        await this.store(window);
        window = [];
        windowStart = file.tokenizedBytes;
      }
    }
    await this.store(window);
    await this.endCopy();
    if (this.copiedRows !== file.rowCount) {
      throw new Error(
        `COPY stored ${this.copiedRows} rows where the reader counted ${file.rowCount}`,
      );
    }
    const types = this.finalTypes();
    return {
      columns: this.columns.map(({ name, identifier }, i) => ({
        name,
        column: identifier,
        type: types[i],
      })),
      rowCount: file.rowCount,
      byteSize: file.byteCount,
      delimiter: file.delimiter,
      profile: await this.profile(types),
      typeChanges: this.typeChanges,
    };
  }

  /** Stops a COPY in progress (PostgreSQL gets a CopyFail) before the caller rolls back. */
  async abort(error: unknown): Promise<void> {
    const copy = this.copy;
    if (copy === undefined || copy.writableFinished) return;
    copy.destroy(error instanceof Error ? error : new Error(String(error)));
    await finished(copy).catch(() => undefined);
  }

  private observe(batch: CsvRow[]): void {
    const trackers = this.trackers;
    const offset = this.windowRows;
    this.windowRows += batch.length;
    if (this.windowRows > (this.values[0]?.length ?? 0)) {
      const capacity = Math.max(this.windowRows, 2 * (this.values[0]?.length ?? 0));
      this.values = this.values.map((old) => {
        const grown = new Float64Array(capacity);
        grown.set(old);
        return grown;
      });
    }
    for (let c = 0; c < trackers.length; c++) {
      const tracker = trackers[c];
      const values = this.values[c];
      for (let r = 0; r < batch.length; r++) {
        values[offset + r] = tracker.observeValue(batch[r][c] ?? null);
      }
    }
  }

  private storedTypes(): StoredType[] {
    return this.trackers.map((tracker) => (tracker.seenValue ? tracker.type : 'unknown'));
  }

  private finalTypes(): ColumnType[] {
    return this.trackers.map((tracker) => tracker.type);
  }

  /**
   * Sends a window of rows (already observed) to COPY, after creating or widening the
   * table as their types need, then hands them to the profiles (on the profile
   * thread, in the service) while PostgreSQL works.
   */
  private async store(window: CsvRow[][]): Promise<void> {
    const types = this.storedTypes();
    if (this.stored === undefined) {
      await this.createTable(types);
      this.startCopy(true);
    } else if (types.some((type, i) => type !== this.stored?.[i])) {
      await this.endCopy();
      await this.widen(types);
      this.startCopy();
    }
    this.stored = types;
    const copy = this.copy as ReturnType<typeof copyFrom>;
    this.encoder.setTypes(types);
    let full = false;
    for (const chunk of this.encoder.encode(window, this.values)) {
      full = !copy.write(chunk) || full;
    }
    this.profiles.forEach((profile, i) => {
      profile.setType(types[i]);
      profile.addWindow(window, this.values[i], this.windowRows);
    });
    this.windowRows = 0;
    if (copy.errored !== null) throw copy.errored;
    await this.typedProfiles.flush();
    if (full) await once(copy, 'drain');
  }

  private async createTable(types: StoredType[]): Promise<void> {
    await this.table.create(
      this.columns.map(({ identifier }, i) => ({ identifier, type: types[i] ?? 'unknown' })),
    );
  }

  private async widen(types: StoredType[]): Promise<void> {
    const widenings: ColumnWidening[] = [];
    const names = new Map<string, string>();
    types.forEach((type, i) => {
      if (type === 'unknown') return;
      const { identifier, name } = this.columns[i] ?? { identifier: '', name: '' };
      names.set(identifier, name);
      widenings.push({ identifier, from: this.stored?.[i] ?? 'unknown', to: type });
    });
    for (const { identifier, from, to } of await this.table.widen(widenings)) {
      this.typeChanges.push({
        column: names.get(identifier) ?? '',
        from,
        to,
        rowsBefore: this.copiedRows,
      });
    }
  }

  /**
   * `freeze`: the first COPY, into the table created in this transaction, stores its rows
   * frozen (COPY FREEZE): no other transaction can see the table before it commits, and
   * the first reader then need not set every row's hint bits (rewriting the whole table
   * on its first scan; the first analysis after an upload paid for it).
   */
  private startCopy(freeze = false): void {
    const identifiers = this.columns.map(({ identifier }) => identifier);
    const copy = this.table.copy(identifiers, freeze, COPY_BUFFER_BYTES);
    // Failures surface through write/finished below; without a listener they would crash.
    copy.on('error', () => undefined);
    copy.write(binaryCopyHeader());
    this.copy = copy;
  }

  private async endCopy(): Promise<void> {
    const copy = this.copy;
    if (copy === undefined) return;
    copy.end(binaryCopyTrailer());
    await finished(copy);
    this.copiedRows += copy.rowCount;
    this.copy = undefined;
  }

  private async profile(types: ColumnType[]): Promise<ColumnProfile[]> {
    this.profiles.forEach((builder, i) => builder.settle(types[i]));
    const finished = await this.typedProfiles.finish();
    const profiles: ColumnProfile[] = [];
    for (const [i, builder] of this.profiles.entries()) {
      const type = types[i];
      profiles.push(
        builder.profile(finished) ??
          (await this.profileFromTable(builder.name, this.columns[i]?.identifier ?? '', type)),
      );
    }
    return profiles;
  }

  /** Exact statistics of a text column, from the stored rows (see ColumnProfileBuilder). */
  private async profileFromTable(
    name: string,
    identifier: string,
    type: ColumnType,
  ): Promise<ColumnProfile> {
    const counts = await this.table.textCounts(identifier);
    const top = await this.table.topTextValues(identifier, TOP_VALUES);
    return {
      name,
      type,
      count: counts.count,
      nullCount: counts.count - counts.values,
      distinctCount: counts.distinct,
      min: null,
      max: null,
      mean: null,
      stddev: null,
      quantiles: { p05: null, p25: null, p50: null, p75: null, p95: null },
      topValues: top,
    };
  }
}
