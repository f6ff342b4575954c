/** Relative change at which a series or continued fraction has converged (double precision). */
export const CONVERGED = 1e-15;
/** More terms than any argument the tests meet needs; a bound, not a tuning knob. */
export const MAX_TERMS = 10_000;
/** Near the smallest normal double: keeps the divisions of Lentz's method finite. */
const TINY = 1e-300;

/**
 * The running state of a continued fraction b₀ + a₁/(b₁ + a₂/(b₂ + …)) evaluated by the
 * modified Lentz method (Numerical Recipes §5.2): each {@link step} multiplies the value by
 * the factor it returns, and the fraction has converged when that factor is 1.
 */
export class Lentz {
  private c: number;
  private d: number;

  /** `first` is the first denominator; `c` starts as the value before it (∞ when there is none). */
  constructor(first: number, c = 1 / TINY) {
    this.c = c;
    this.d = 1 / nonZero(first);
  }

  /** The value after b₀ (= 1 / d₀, the first factor). */
  get start(): number {
    return this.d;
  }

  /** Takes in the term a/(b + …) and returns the factor the value changes by. */
  step(a: number, b: number): number {
    this.d = 1 / nonZero(b + a * this.d);
    this.c = nonZero(b + a / this.c);
    return this.d * this.c;
  }
}

function nonZero(x: number): number {
  return Math.abs(x) < TINY ? TINY : x;
}
