import type { CsvRow } from '../csv/csv-rows';
import type { ColumnType } from '../csv/type-inference';
import { ColumnProfiler, type ColumnProfile } from '../profiling/column-profiler';
import type { TypedProfiles } from '../profiling/typed-profiles';
import type { StoredType } from './column-storage';

/**
 * The profile of one column while an upload streams, following its stored type as it
 * widens. Values are profiled with the type their rows were stored with, so the profile
 * describes the stored table:
 *
 * - while the type is `unknown` only empty fields were seen: they are counted, and
 *   replayed as nulls (typed column) or as `''` and nulls (text) once the type is known;
 * - a typed column (numbers, dates, booleans) is profiled by the upload's
 *   {@link TypedProfiles} (on the profile thread, in the service) from the values the
 *   type check read; `integer` → `number` and `date` → `datetime` carry the statistics
 *   over;
 * - a text column is profiled here, from the fields (handing strings to another thread
 *   cost more than it saved on a 2-core machine);
 * - a typed column turned into text has values the profile never saw as text: its
 *   profile is then computed from the stored table at the end ({@link needsTable}).
 */
export class ColumnProfileBuilder {
  private text: ColumnProfiler | undefined;
  private typed = false;
  private storedType: StoredType = 'unknown';
  private nulls = 0;
  private empties = 0;
  private fromTable = false;

  constructor(
    readonly name: string,
    private readonly index: number,
    private readonly typedProfiles: TypedProfiles,
  ) {}

  /** The profile must come from the stored column (see the class comment). */
  get needsTable(): boolean {
    return this.fromTable;
  }

  setType(type: StoredType): void {
    const from = this.storedType;
    if (type === from) return;
    this.storedType = type;
    if (type === 'unknown' || this.fromTable) return;
    if (from === 'unknown') {
      if (type === 'string') {
        const text = new ColumnProfiler(this.name, type);
        for (let i = 0; i < this.nulls; i++) text.addMissing();
        for (let i = 0; i < this.empties; i++) text.add('');
        this.text = text;
      } else {
        // An empty field is null in a typed column.
        this.typedProfiles.start(this.index, this.name, type, this.nulls + this.empties);
        this.typed = true;
      }
    } else if (type === 'string') {
      this.typedProfiles.discard(this.index);
      this.typed = false;
      this.fromTable = true;
    } else {
      this.typedProfiles.widen(this.index, type);
    }
  }

  /**
   * Adds the column of every row of a window (batches of rows, in order), as stored with
   * the current type. `values` holds the column's values as numbers, `count` of them, one
   * per row, as the type check read them (`TypeTracker.observeValue` in
   * ../csv/type-inference; NaN for an empty field), so numbers, times and booleans are
   * not parsed twice; a text column reads the fields.
   */
  addWindow(window: readonly CsvRow[][], values: Float64Array, count: number): void {
    const index = this.index;
    if (this.typed) {
      this.typedProfiles.add(index, values.subarray(0, count));
    } else if (this.text !== undefined) {
      // A text column keeps `''` (a quoted empty field) apart from null.
      const text = this.text;
      for (const rows of window) {
        for (let r = 0; r < rows.length; r++) text.add(rows[r][index] ?? null);
      }
    } else if (this.storedType === 'unknown') {
      for (const rows of window) {
        for (let r = 0; r < rows.length; r++) {
          if (rows[r][index] === '') this.empties++;
          else this.nulls++;
        }
      }
    }
  }

  /** Settles a column that never had a stored type (every field empty) on its final type. */
  settle(finalType: ColumnType): void {
    if (this.storedType === 'unknown') this.setType(finalType);
  }

  /**
   * The finished profile, given what the typed profiles finished with; undefined when it
   * must come from the table.
   */
  profile(typed: ReadonlyMap<number, ColumnProfile>): ColumnProfile | undefined {
    if (!this.typed) return this.text?.profile();
    const profile = typed.get(this.index);
    if (profile === undefined)
      throw new Error(`no typed profile came back for column ${this.index}`);
    return profile;
  }
}
