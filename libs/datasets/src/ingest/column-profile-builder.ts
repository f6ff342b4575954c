import type { CsvRow } from '../csv/csv-tokenizer';
import type { ColumnType } from '../csv/type-inference';
import { ColumnProfiler, type ColumnProfile } from '../profiling/column-profiler';
import type { StoredType } from './column-storage';

/**
 * The profile of one column while an upload streams, following its stored type as it
 * widens. Values are profiled with the type their rows were stored with, so the profile
 * describes the stored table:
 *
 * - while the type is `unknown` only empty fields were seen: they are counted, and
 *   replayed as nulls (typed column) or as `''` and nulls (text) once the type is known;
 * - `integer` → `number` and `date` → `datetime` carry the statistics over;
 * - a typed column turned into text has values the profile never saw as text: its
 *   profile is then computed from the stored table at the end ({@link needsTable}).
 */
export class ColumnProfileBuilder {
  private profiler: ColumnProfiler | undefined;
  private storedType: StoredType = 'unknown';
  private nulls = 0;
  private empties = 0;
  private fromTable = false;

  constructor(readonly name: string) {}

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
      const profiler = new ColumnProfiler(this.name, type);
      for (let i = 0; i < this.nulls; i++) profiler.add(null);
      for (let i = 0; i < this.empties; i++) profiler.add(type === 'string' ? '' : null);
      this.profiler = profiler;
    } else if (type === 'string') {
      this.profiler = undefined;
      this.fromTable = true;
    } else {
      this.profiler?.widen(type);
    }
  }

  /**
   * Adds column `index` of every row, as stored with the current type. `values` holds the
   * column's values as numbers from `offset` on, one per row, as the type check read them
   * (`TypeTracker.observeValue` in ../csv/type-inference; NaN for an empty field), so
   * numbers, times and booleans are not parsed twice; a string column reads the fields.
   */
  addColumn(rows: readonly CsvRow[], index: number, values: Float64Array, offset: number): void {
    const profiler = this.profiler;
    if (profiler !== undefined) {
      // One loop per type: the hottest loops stay monomorphic.
      const type = profiler.type;
      if (type === 'integer' || type === 'number') {
        for (let r = 0; r < rows.length; r++) {
          const x = values[offset + r];
          if (x !== x) profiler.addMissing();
          else profiler.addNumeric(x);
        }
      } else if (type === 'date' || type === 'datetime') {
        for (let r = 0; r < rows.length; r++) {
          const ms = values[offset + r];
          if (ms !== ms) profiler.addMissing();
          else profiler.addEpochMillis(ms);
        }
      } else if (type === 'boolean') {
        for (let r = 0; r < rows.length; r++) {
          const x = values[offset + r];
          profiler.add(x !== x ? null : x === 1);
        }
      } else {
        // A string column keeps `''` (a quoted empty field) apart from null.
        for (let r = 0; r < rows.length; r++) profiler.add(rows[r][index] ?? null);
      }
    } else if (this.storedType === 'unknown') {
      for (let r = 0; r < rows.length; r++) {
        if (rows[r][index] === '') this.empties++;
        else this.nulls++;
      }
    }
  }

  /** The finished profile, or undefined when it must come from the table. */
  profile(finalType: ColumnType): ColumnProfile | undefined {
    if (this.storedType === 'unknown') this.setType(finalType);
    return this.profiler?.profile();
  }
}
