import { hashIndex } from './hash';

const MAX_LOAD = 0.5;

/**
 * Map from finite numbers to non-negative int32, open addressing with linear probing over typed
 * arrays. A `Map<number, number>` boxes every non-integer key it stores (one heap object per
 * key, garbage on every eviction); this stores doubles as they are, so the profilers' hot paths
 * allocate nothing. Keys are compared by value with -0 folded into 0; NaN is not a valid key.
 * Iteration order depends only on the sequence of operations, so it is deterministic.
 */
export class NumberMap {
  private keys: Float64Array;
  /** value + 1 per bucket; 0 marks an empty bucket. */
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 8) {
    let buckets = 16;
    while (buckets * MAX_LOAD < expected) buckets *= 2;
    this.keys = new Float64Array(buckets);
    this.values = new Int32Array(buckets);
    this.mask = buckets - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for `key`, or -1. */
  get(key: number): number {
    const { keys, values, mask } = this;
    let i = hashIndex(key) & mask;
    while (values[i] !== 0) {
      if (keys[i] === key) return values[i] - 1;
      i = (i + 1) & mask;
    }
    return -1;
  }

  has(key: number): boolean {
    return this.get(key) !== -1;
  }

  /** Stores `value` (≥ 0) for `key`; returns true when the key is new. */
  set(key: number, value: number): boolean {
    const { keys, values, mask } = this;
    let i = hashIndex(key) & mask;
    while (values[i] !== 0) {
      if (keys[i] === key) {
        values[i] = value + 1;
        return false;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key === 0 ? 0 : key;
    values[i] = value + 1;
    if (++this.count > (mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  /** Returns the value stored for `key`; if there is none, stores `value` and returns -1. */
  putIfAbsent(key: number, value: number): number {
    const { keys, values, mask } = this;
    let i = hashIndex(key) & mask;
    while (values[i] !== 0) {
      if (keys[i] === key) return values[i] - 1;
      i = (i + 1) & mask;
    }
    keys[i] = key === 0 ? 0 : key;
    values[i] = value + 1;
    if (++this.count > (mask + 1) * MAX_LOAD) this.grow();
    return -1;
  }

  /** Removes `key`, shifting later buckets of its run back so no tombstones pile up. */
  delete(key: number): boolean {
    const { keys, values, mask } = this;
    let i = hashIndex(key) & mask;
    while (values[i] !== 0 && keys[i] !== key) i = (i + 1) & mask;
    if (values[i] === 0) return false;
    let hole = i;
    for (let j = (i + 1) & mask; values[j] !== 0; j = (j + 1) & mask) {
      const home = hashIndex(keys[j]) & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if ((j > hole && (home <= hole || home > j)) || (j < hole && home <= hole && home > j)) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = 0;
    this.count--;
    return true;
  }

  clear(): void {
    this.values.fill(0);
    this.count = 0;
  }

  /** Calls `visit` for every entry, in bucket order. */
  forEach(visit: (key: number, value: number) => void): void {
    const { keys, values } = this;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) visit(keys[i], values[i] - 1);
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] !== 0) this.set(keys[i], values[i] - 1);
  }
}
