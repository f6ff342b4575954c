/** mulberry32: a small seeded PRNG, uniform in [0, 1), so that specs draw the same data every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n standard normal draws from `seed`. */
export function noise(n: number, seed: number): Float64Array {
  const random = seeded(seed);
  return Float64Array.from({ length: n }, () => gaussian(random));
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Monday 2024-01-01 00:00 UTC, so weekday phases line up with the calendar. */
export const MONDAY = Date.UTC(2024, 0, 1);
