import type { ColumnType } from '../csv/type-inference';
import { type ColumnProfile, ColumnProfiler } from './column-profiler';

/** Column types whose values the reader has already turned into numbers. */
export type TypedColumnType = Exclude<ColumnType, 'string'>;

/**
 * One step of the profiles of an upload's typed columns, by column index.
 *
 * - `start`: the column's type is known; `missing` nulls were seen before it was.
 * - `widen`: a wider type whose statistics carry over (ColumnProfiler.widen).
 * - `discard`: the column became text; its profile will come from elsewhere (the table).
 * - `add`: the column's values, one per row, as the type check read them
 *   (TypeTracker.observeValue in ../csv/type-inference): the number, epoch milliseconds
 *   of a date or datetime, 1 or 0 for a boolean, NaN for an empty field.
 */
export type TypedProfileStep =
  | { kind: 'start'; column: number; name: string; type: TypedColumnType; missing: number }
  | { kind: 'widen'; column: number; type: TypedColumnType }
  | { kind: 'discard'; column: number }
  | { kind: 'add'; column: number; values: Float64Array };

/**
 * The profiles of one upload's typed columns (numbers, dates, booleans): most of the
 * profiling work, and all of it on values already parsed, so it can run on another
 * thread (ProfileThreadService in ../ingest/profile-thread.service) while the reader reads on. Steps
 * (see {@link TypedProfileStep}) apply in the order given; an array passed to `add` is
 * read until the next `flush` returns (at once here; copied by `flush` on the thread),
 * and may be written again after that.
 */
export interface TypedProfiles {
  start(column: number, name: string, type: TypedColumnType, missing: number): void;
  widen(column: number, type: TypedColumnType): void;
  discard(column: number): void;
  add(column: number, values: Float64Array): void;
  /** Ends a window of steps; resolves once there is room for the next. */
  flush(): Promise<void>;
  /** The profiles of the columns started and not discarded, by column index. */
  finish(): Promise<Map<number, ColumnProfile>>;
  /** Drops everything (the upload failed); no other call may follow. */
  close(): void;
}

/** {@link TypedProfiles} computed on the calling thread, step by step. */
export class InlineTypedProfiles implements TypedProfiles {
  private readonly profilers = new Map<number, ColumnProfiler>();

  apply(step: TypedProfileStep): void {
    switch (step.kind) {
      case 'start':
        return this.start(step.column, step.name, step.type, step.missing);
      case 'widen':
        return this.widen(step.column, step.type);
      case 'discard':
        return this.discard(step.column);
      case 'add':
        return this.add(step.column, step.values);
    }
  }

  start(column: number, name: string, type: TypedColumnType, missing: number): void {
    const profiler = new ColumnProfiler(name, type);
    for (let i = 0; i < missing; i++) profiler.addMissing();
    this.profilers.set(column, profiler);
  }

  widen(column: number, type: TypedColumnType): void {
    this.profiler(column).widen(type);
  }

  discard(column: number): void {
    this.profilers.delete(column);
  }

  add(column: number, values: Float64Array): void {
    const profiler = this.profiler(column);
    // One loop per type: the hottest loops stay monomorphic.
    const type = profiler.type;
    if (type === 'integer' || type === 'number') {
      for (let r = 0; r < values.length; r++) {
        const x = values[r];
        if (x !== x) profiler.addMissing();
        else profiler.addNumeric(x);
      }
    } else if (type === 'date' || type === 'datetime') {
      for (let r = 0; r < values.length; r++) {
        const ms = values[r];
        if (ms !== ms) profiler.addMissing();
        else profiler.addEpochMillis(ms);
      }
    } else {
      for (let r = 0; r < values.length; r++) {
        const x = values[r];
        profiler.add(x !== x ? null : x === 1);
      }
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** The profiles so far (synchronous: what the worker thread answers with). */
  profiles(): Map<number, ColumnProfile> {
    return new Map([...this.profilers].map(([column, profiler]) => [column, profiler.profile()]));
  }

  finish(): Promise<Map<number, ColumnProfile>> {
    return Promise.resolve(this.profiles());
  }

  close(): void {
    this.profilers.clear();
  }

  private profiler(column: number): ColumnProfiler {
    const profiler = this.profilers.get(column);
    if (profiler === undefined) throw new RangeError(`column ${column} has no profile started`);
    return profiler;
  }
}
