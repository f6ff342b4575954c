import { NumberMap } from './number-map';

/** `[key, count, error, label]`: one counter of {@link TopValues}. */
export type TopValuesEntry = [number, number, number, string | null];

/** JSON form of {@link TopValues}; entries in heap order. */
export interface TopValuesState {
  counters: number;
  n: number;
  evicted: boolean;
  entries: TopValuesEntry[];
}

/** A frequent value with bounds on its true frequency f: `count ≤ f ≤ upperBound`. */
export interface TopValue {
  key: number;
  /** The label given with the key (a string column's value), or null. */
  label: string | null;
  /** Guaranteed lower bound on the frequency; the exact frequency when `count === upperBound`. */
  count: number;
  upperBound: number;
}

export const DEFAULT_TOP_COUNTERS = 100;
export const DEFAULT_TOP_REPORTED = 10;

/** Values buffered before they are folded into the counters in one pass. */
const BATCH = 1024;

/**
 * Most frequent values by Space-Saving (Metwally, Agrawal & El Abbadi, 2005) over m counters,
 * fed in batches: every 1,024 values are counted exactly, then folded into the counters with
 * the merge of Agarwal et al. ("Mergeable summaries", 2012) — a batch is an exact summary, so
 * this is the same merge that combines chunks. Every value costs one hash probe;
 * evictions (at most m per batch) are done through a min-heap. Keys are numbers held in typed
 * arrays, so nothing is allocated per value. A string column passes a 53-bit hash of the string
 * as the key and the string itself as the label, kept only while the key is monitored; two
 * strings share a counter only if their hashes collide (odds below n² / 2^54).
 *
 * Guarantees, with n values added and m counters (default 100):
 * - Exact (every count, and the full ranking) while at most m distinct values were seen.
 * - Otherwise each monitored value v has `count − error ≤ f(v) ≤ count` with
 *   `error ≤ min counter ≤ n / m`, and every value with f(v) > n / m is monitored, so it cannot
 *   be missing from {@link TopValues.top}(k) when fewer than k values have a larger count.
 * - {@link TopValues.merge} keeps these bounds: counts add, a value one side does not monitor
 *   counts as that side's minimum counter (its largest possible frequency there, or 0 if that
 *   side never evicted), then the m largest stay.
 */
export class TopValues {
  readonly counters: number;
  private n = 0;
  private size = 0;
  private evicted = false;
  private readonly keys: Float64Array;
  private readonly labels: Array<string | null> = [];
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  /** Min-heap of slots on their counts, valid between batches. */
  private readonly heap: Int32Array;
  private readonly index: NumberMap;
  private readonly pendingKeys = new Float64Array(BATCH);
  private readonly pendingLabels: Array<string | null> = new Array<string | null>(BATCH).fill(null);
  private pending = 0;
  /** Whether any value came with a label: a number column's never do, and skip the labels. */
  private labelled = false;
  /** Per batch: values not monitored yet, counted exactly. */
  private readonly freshKeys = new Float64Array(BATCH);
  private readonly freshCounts = new Float64Array(BATCH);
  private readonly freshLabels: Array<string | null> = new Array<string | null>(BATCH).fill(null);

  constructor(options: { counters?: number } = {}) {
    const counters = options.counters ?? DEFAULT_TOP_COUNTERS;
    if (!Number.isInteger(counters) || counters < 1) {
      throw new RangeError(`top values need at least one counter, got ${counters}`);
    }
    this.counters = counters;
    this.keys = new Float64Array(counters);
    this.counts = new Float64Array(counters);
    this.errors = new Float64Array(counters);
    this.heap = new Int32Array(counters);
    // Room for a batch's new keys beside the monitored ones (see flush).
    this.index = new NumberMap(counters + BATCH);
  }

  /** Values added (summed over merges). */
  get total(): number {
    return this.n + this.pending;
  }

  /** True while every count is exact: no value was ever dropped from the counters. */
  get isExact(): boolean {
    this.flush();
    return !this.evicted;
  }

  /** Counts one occurrence of `key` (finite; -0 is 0); `label` is kept while it is monitored. */
  add(key: number, label: string | null = null): void {
    this.pendingKeys[this.pending] = key;
    if (label !== null || this.labelled) {
      this.pendingLabels[this.pending] = label;
      this.labelled = true;
    }
    if (++this.pending === BATCH) this.flush();
  }

  /** Folds `other` into this summary (see the class comment for the bounds). */
  merge(other: TopValues): this {
    this.flush();
    other.flush();
    const mine = this.evicted ? this.minCount() : 0;
    const theirs = other.evicted ? other.minCount() : 0;
    const entries: TopValuesEntry[] = [];
    for (let slot = 0; slot < this.size; slot++) {
      const their = other.index.get(this.keys[slot]);
      entries.push([
        this.keys[slot],
        this.counts[slot] + (their === -1 ? theirs : other.counts[their]),
        this.errors[slot] + (their === -1 ? theirs : other.errors[their]),
        this.labels[slot],
      ]);
    }
    for (let slot = 0; slot < other.size; slot++) {
      if (this.index.has(other.keys[slot])) continue;
      const { keys, counts, errors, labels } = other;
      entries.push([keys[slot], counts[slot] + mine, errors[slot] + mine, labels[slot]]);
    }
    entries.sort((a, b) => b[1] - a[1] || compareKeys(a[3] ?? a[0], b[3] ?? b[0]));
    this.evicted = this.evicted || other.evicted || entries.length > this.counters;
    this.n += other.n;
    this.load(entries.slice(0, this.counters));
    return this;
  }

  /**
   * The k values with the largest guaranteed count (`count − error`), ties by larger upper bound
   * then by value, so equal inputs always list in the same order.
   */
  top(k: number = DEFAULT_TOP_REPORTED): TopValue[] {
    this.flush();
    const values: TopValue[] = [];
    for (let slot = 0; slot < this.size; slot++) {
      const upperBound = this.counts[slot];
      const [key, label] = [this.keys[slot], this.labels[slot]];
      values.push({ key, label, count: upperBound - this.errors[slot], upperBound });
    }
    values.sort(
      (a, b) =>
        b.count - a.count ||
        b.upperBound - a.upperBound ||
        compareKeys(a.label ?? a.key, b.label ?? b.key),
    );
    return values.slice(0, k);
  }

  serialize(): TopValuesState {
    this.flush();
    const entries: TopValuesEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.heap[i];
      entries.push([this.keys[slot], this.counts[slot], this.errors[slot], this.labels[slot]]);
    }
    return { counters: this.counters, n: this.n, evicted: this.evicted, entries };
  }

  toJSON(): TopValuesState {
    return this.serialize();
  }

  static deserialize(state: TopValuesState): TopValues {
    if (state.entries.length > state.counters) {
      throw new RangeError(
        `corrupt top values: ${state.entries.length} entries for ${state.counters} counters`,
      );
    }
    const top = new TopValues({ counters: state.counters });
    top.n = state.n;
    top.evicted = state.evicted;
    // Entries come in heap order, so the rebuilt heap (and so later evictions) is the same.
    top.load(state.entries);
    return top;
  }

  /**
   * Folds the pending batch into the counters: exact counts first, then the heap merge.
   * One probe per value: while a batch is counted, `index` maps a monitored key to its
   * slot (< counters) and a new key to `counters + ` its place among the fresh ones;
   * afterwards it is rebuilt from the ≤ m monitored keys.
   */
  private flush(): void {
    const pending = this.pending;
    if (pending === 0) return;
    this.pending = 0;
    this.n += pending;
    // The bound on any unmonitored value's frequency so far, taken before this batch counts.
    const substitute = this.evicted ? this.minCount() : 0;
    const { pendingKeys, pendingLabels, freshKeys, freshCounts, freshLabels, counts, index } = this;
    const counters = this.counters;
    const labelled = this.labelled;
    let fresh = 0;
    for (let i = 0; i < pending; i++) {
      const key = pendingKeys[i];
      const found = index.putIfAbsent(key, counters + fresh);
      if (found === -1) {
        freshKeys[fresh] = key;
        freshCounts[fresh] = 1;
        if (labelled) freshLabels[fresh] = pendingLabels[i];
        fresh++;
      } else if (found < counters) {
        counts[found]++;
      } else {
        freshCounts[found - counters]++;
      }
      if (labelled) pendingLabels[i] = null;
    }
    for (let i = (this.size >>> 1) - 1; i >= 0; i--) this.siftDown(i);
    if (fresh === 0) return;
    for (let f = 0; f < fresh; f++) {
      const count = freshCounts[f] + substitute;
      if (this.size < counters) {
        this.fill(this.size, freshKeys[f], count, substitute, freshLabels[f]);
        this.heap[this.size] = this.size;
        this.siftUp(this.size++);
      } else {
        this.evicted = true;
        const root = this.heap[0];
        if (count > counts[root]) {
          this.fill(root, freshKeys[f], count, substitute, freshLabels[f]);
          this.siftDown(0);
        }
      }
      freshLabels[f] = null;
    }
    index.clear();
    for (let slot = 0; slot < this.size; slot++) index.set(this.keys[slot], slot);
  }

  private load(entries: TopValuesEntry[]): void {
    this.index.clear();
    this.labels.length = 0;
    this.size = entries.length;
    entries.forEach(([key, count, error, label], slot) => {
      this.assign(slot, key, count, error, label);
      this.heap[slot] = slot;
    });
    for (let i = (this.size >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private assign(slot: number, key: number, count: number, error: number, label: string | null) {
    this.fill(slot, key, count, error, label);
    this.index.set(key, slot);
  }

  /** {@link assign} without the index, which {@link flush} rebuilds once per batch. */
  private fill(slot: number, key: number, count: number, error: number, label: string | null) {
    this.keys[slot] = key === 0 ? 0 : key;
    this.labels[slot] = label === null ? null : ownCopy(label);
    this.counts[slot] = count;
    this.errors[slot] = error;
  }

  private minCount(): number {
    return this.size === 0 ? 0 : this.counts[this.heap[0]];
  }

  private siftUp(i: number): void {
    const { heap, counts } = this;
    const slot = heap[i];
    const count = counts[slot];
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (counts[heap[parent]] <= count) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  }

  private siftDown(i: number): void {
    const { heap, counts, size } = this;
    const slot = heap[i];
    const count = counts[slot];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && counts[heap[child + 1]] < counts[heap[child]]) child++;
      if (counts[heap[child]] >= count) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = slot;
  }
}

function compareKeys(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A string that shares no memory with `text`. A CSV field is a slice of its 64 KiB chunk,
 * and V8 keeps the whole chunk alive as long as the slice lives; a kept label must not pin
 * a chunk per counter. Concatenating and slicing makes V8 flatten into a fresh string.
 */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}
