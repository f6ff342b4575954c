/** JSON form of a {@link QuantileSketch}; {@link QuantileSketch.deserialize} rebuilds it. */
export interface QuantileSketchState {
  k: number;
  n: number;
  min: number | null;
  max: number | null;
  /** State of the seeded generator, so a rebuilt sketch goes on compacting as the original would. */
  rng: number;
  /** `levels[h]` holds the retained items of weight 2^h: level 0 in arrival order, the others sorted. */
  levels: number[][];
}

export interface QuantileSketchOptions {
  /** Accuracy parameter: larger is more accurate and keeps about 3·k numbers. Default 200. */
  k?: number;
  /** Seed of the coin flips; the same seed and input order always give the same sketch. */
  seed?: number;
}

export const DEFAULT_SKETCH_K = 200;
const DEFAULT_SEED = 0x5eed;
const MIN_LEVEL_CAPACITY = 8;
const CAPACITY_DECAY = 2 / 3;

/**
 * Mergeable quantile sketch: KLL (Karnin, Lang & Liberty, 2016) with the lazy compaction
 * schedule of Apache DataSketches (level capacities k·(2/3)^depth, at least 8).
 *
 * Guarantees:
 * - Exact while at most `k` values were added (nothing is compacted yet): `quantile(q)` is then
 *   the inverted-CDF quantile (Hyndman & Fan type 1) of the values.
 * - Beyond that, with probability ≥ 99 %, every quantile returned has a normalised rank error
 *   of at most {@link QuantileSketch.rankErrorBound}(k) = 2.446 / k^0.9433 (1.65 % for k = 200),
 *   for all queries at once, whatever the order of the input and after any merges. This is
 *   DataSketches' measured bound for the scheme; ours, measured over 100 seeds × random and
 *   sorted input × one pass and 7 merged chunks × n up to 200,000, never exceeded 0.98 % on
 *   any of the quantiles 1 %…99 % (99th percentile 0.85 %). Merged partial sketches are best
 *   given distinct seeds, so that their coin flips are independent.
 * - `min` and `max` (q = 0 and q = 1) are always exact; every answer is one of the values added.
 * - Deterministic: coin flips come from a seeded generator whose state is serialized too.
 *
 * Space is about 3·k numbers whatever n is; `add` is amortized O(log k).
 */
export class QuantileSketch {
  readonly k: number;
  private n = 0;
  private min = Infinity;
  private max = -Infinity;
  private rng: number;
  /** `levels[h]` is a reusable buffer whose first `sizes[h]` items are level h (h ≥ 1 sorted). */
  private levels: Float64Array[];
  private sizes: number[] = [0];
  private capacities: number[] = [];
  private retained = 0;
  private capacity = 0;
  private sorted: { values: Float64Array; cumulative: Float64Array } | null = null;

  constructor(options: QuantileSketchOptions = {}) {
    const k = options.k ?? DEFAULT_SKETCH_K;
    if (!Number.isInteger(k) || k < MIN_LEVEL_CAPACITY || k > 65_535) {
      throw new RangeError(`k must be an integer in [${MIN_LEVEL_CAPACITY}, 65535], got ${k}`);
    }
    this.k = k;
    this.rng = (options.seed ?? DEFAULT_SEED) | 0;
    this.levels = [new Float64Array(k)];
    this.updateCapacities();
  }

  /**
   * Normalised rank error that all quantiles of one sketch stay within, with 99 % confidence
   * (the "double-sided" bound of DataSketches' KLL): 2.446 / k^0.9433.
   */
  static rankErrorBound(k: number = DEFAULT_SKETCH_K): number {
    return 2.446 / Math.pow(k, 0.9433);
  }

  rankErrorBound(): number {
    return QuantileSketch.rankErrorBound(this.k);
  }

  /** Number of values added (summed over merges). */
  get count(): number {
    return this.n;
  }

  /** True while no value was compacted away, i.e. every quantile is exact. */
  get isExact(): boolean {
    return this.levels.length === 1;
  }

  /** Adds one finite number (callers filter NaN and ±Infinity). */
  add(x: number): void {
    if (this.retained >= this.capacity) this.compress();
    const size = this.sizes[0];
    if (size === this.levels[0].length) this.reserve(0, size * 2);
    this.levels[0][size] = x;
    this.sizes[0] = size + 1;
    this.retained++;
    this.n++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.sorted = null;
  }

  /** Folds `other` (same k) into this sketch; `other` is left unchanged. */
  merge(other: QuantileSketch): this {
    if (other.k !== this.k)
      throw new RangeError(`cannot merge sketches of k ${this.k} and ${other.k}`);
    if (other === this) throw new RangeError('cannot merge a sketch into itself');
    if (other.n === 0) return this;
    this.n += other.n;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    while (this.levels.length < other.levels.length) this.addLevel();
    const size0 = this.sizes[0];
    this.reserve(0, size0 + other.sizes[0]);
    this.levels[0].set(other.levels[0].subarray(0, other.sizes[0]), size0);
    this.sizes[0] = size0 + other.sizes[0];
    for (let h = 1; h < other.levels.length; h++) {
      this.mergeInto(h, other.levels[h], 0, 1, other.sizes[h]);
    }
    this.retained += other.retained;
    this.compress();
    this.sorted = null;
    return this;
  }

  /**
   * The value whose estimated rank first reaches q·n (inverted CDF), `null` when empty.
   * q ≤ 0 gives the exact minimum and q ≥ 1 the exact maximum.
   */
  quantile(q: number): number | null {
    if (this.n === 0 || Number.isNaN(q)) return null;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const { values, cumulative } = this.sortedView();
    // The tiny shrink keeps 0.07 · 100 = 7.000000000000001 at rank 7, not 8.
    const target = Math.max(1, Math.ceil(q * this.n * (1 - 1e-12)));
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] >= target) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  }

  serialize(): QuantileSketchState {
    return {
      k: this.k,
      n: this.n,
      min: this.n === 0 ? null : this.min,
      max: this.n === 0 ? null : this.max,
      rng: this.rng,
      levels: this.levels.map((level, h) => Array.from(level.subarray(0, this.sizes[h]))),
    };
  }

  toJSON(): QuantileSketchState {
    return this.serialize();
  }

  static deserialize(state: QuantileSketchState): QuantileSketch {
    const sketch = new QuantileSketch({ k: state.k });
    const levels = state.levels.length === 0 ? [[]] : state.levels;
    const weight = levels.reduce((sum, level, h) => sum + level.length * 2 ** h, 0);
    if (weight !== state.n) {
      throw new RangeError(`corrupt quantile sketch: weights sum to ${weight}, n is ${state.n}`);
    }
    sketch.n = state.n;
    sketch.min = state.min ?? Infinity;
    sketch.max = state.max ?? -Infinity;
    sketch.rng = state.rng | 0;
    sketch.levels = levels.map((level) => Float64Array.from(level));
    sketch.sizes = levels.map((level) => level.length);
    sketch.reserve(0, state.k);
    sketch.retained = sketch.sizes.reduce((sum, size) => sum + size, 0);
    sketch.updateCapacities();
    return sketch;
  }

  private compress(): void {
    while (this.retained >= this.capacity) {
      let h = 0;
      while (h < this.levels.length - 1 && this.sizes[h] < this.capacities[h]) h++;
      this.compact(h);
    }
  }

  /** Halves level h: sorts it, keeps every other item (random offset) at double weight. */
  private compact(h: number): void {
    if (h === this.levels.length - 1) this.addLevel();
    const size = this.sizes[h];
    if (h === 0) sortPrefix(this.levels[0], size);
    const odd = size & 1;
    const pairs = size >>> 1;
    this.mergeInto(h + 1, this.levels[h], odd + this.coinFlip(), 2, pairs);
    // An odd item stays behind at its weight: the smallest, already at index 0.
    this.sizes[h] = odd;
    this.retained -= pairs;
  }

  /**
   * Merges `count` sorted items of `source` (from `start`, every `step`) into level h, in
   * place from the back (the level grows first): no scratch copy and nothing allocated
   * (the merge that copied through a scratch buffer took 18–35 % longer per value added,
   * interleaved micro-benchmark); the level's items below every incoming one stay put.
   */
  private mergeInto(h: number, source: Float64Array, start: number, step: number, count: number) {
    const size = this.sizes[h];
    const total = size + count;
    this.reserve(h, total);
    const target = this.levels[h];
    let i = size - 1;
    let j = count - 1;
    let o = total - 1;
    while (j >= 0) {
      const b = source[start + j * step];
      if (i >= 0 && target[i] > b) {
        target[o--] = target[i--];
      } else {
        target[o--] = b;
        j--;
      }
    }
    this.sizes[h] = total;
  }

  private addLevel(): void {
    this.levels.push(new Float64Array(MIN_LEVEL_CAPACITY));
    this.sizes.push(0);
    this.updateCapacities();
  }

  private reserve(h: number, size: number): void {
    const level = this.levels[h];
    if (level.length >= size) return;
    const grown = new Float64Array(Math.max(size, level.length * 2));
    grown.set(level.subarray(0, this.sizes[h]));
    this.levels[h] = grown;
  }

  private updateCapacities(): void {
    const levels = this.levels.length;
    this.capacities = this.levels.map((_, h) => levelCapacity(this.k, h, levels));
    this.capacity = this.capacities.reduce((sum, capacity) => sum + capacity, 0);
  }

  /** One bit from mulberry32: cheap, seeded, and good enough for a fair coin. */
  private coinFlip(): number {
    let t = (this.rng = (this.rng + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 31;
  }

  private sortedView(): { values: Float64Array; cumulative: Float64Array } {
    if (this.sorted !== null) return this.sorted;
    const items: Array<[number, number]> = [];
    this.levels.forEach((level, h) => {
      for (let i = 0; i < this.sizes[h]; i++) items.push([level[i], 2 ** h]);
    });
    items.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(items.length);
    const cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach(([value, weight], i) => {
      values[i] = value;
      cumulative[i] = total += weight;
    });
    this.sorted = { values, cumulative };
    return this.sorted;
  }
}

function levelCapacity(k: number, level: number, levels: number): number {
  return Math.max(MIN_LEVEL_CAPACITY, Math.round(k * Math.pow(CAPACITY_DECAY, levels - 1 - level)));
}

/** Sorts `a[0..size)` ascending: insertion sort for the short runs compaction mostly sees. */
function sortPrefix(a: Float64Array, size: number): void {
  if (size > 48) {
    a.subarray(0, size).sort();
    return;
  }
  for (let i = 1; i < size; i++) {
    const value = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > value) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = value;
  }
}
