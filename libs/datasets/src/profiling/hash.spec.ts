import { hash64, hashIndex, hashString53 } from './hash';
import { seededRandom } from './testing/reference';

describe('profiling hashes', () => {
  // Serialized HyperLogLogs and distinct sets are only mergeable while these never change.
  it('are stable: pinned outputs', () => {
    const out = new Int32Array(2);
    hash64(1, out);
    expect([...out]).toEqual([206793447, -26835345]);
    hash64(-1.5, out);
    expect([...out]).toEqual([2087358834, 848987774]);
    expect(hashIndex(1e300)).toBe(980883385);
    expect(hashString53('')).toBe(8293448598900995);
    expect(hashString53('Seattle')).toBe(6987742002860656);
    expect(hashString53('héllo wörld 🌍')).toBe(8069640461410198);
  });

  it('fold -0 into 0, as the values compare equal', () => {
    const zero = new Int32Array(2);
    const negativeZero = new Int32Array(2);
    hash64(0, zero);
    hash64(-0, negativeZero);
    expect([...negativeZero]).toEqual([...zero]);
    expect(hashIndex(-0)).toBe(hashIndex(0));
  });

  it('give string keys that are safe integers, distinct over 200k strings', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => hashString53(`row-${i}`));
    expect(keys.filter((key) => !Number.isSafeInteger(key) || key < 0)).toEqual([]);
    expect(new Set(keys).size).toBe(200_000);
  });

  it('spread every output bit evenly (sequential integers, the hardest common input)', () => {
    const ones = new Float64Array(64);
    const out = new Int32Array(2);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      hash64(i, out);
      for (let bit = 0; bit < 32; bit++) {
        ones[bit] += (out[0] >>> bit) & 1;
        ones[32 + bit] += (out[1] >>> bit) & 1;
      }
    }
    // Binomial(n, ½) has a standard deviation of 158 here; 5σ is ±0.8 %.
    for (const count of ones) expect(Math.abs(count / n - 0.5)).toBeLessThan(0.008);
  });

  it('flip about half the output bits when one input bit flips (avalanche)', () => {
    const random = seededRandom(2);
    const float = new Float64Array(1);
    const words = new Uint32Array(float.buffer);
    const [a, b] = [new Int32Array(2), new Int32Array(2)];
    let flipped = 0;
    const trials = 5_000;
    for (let t = 0; t < trials; t++) {
      float[0] = random() * 1e6;
      hash64(float[0], a);
      words[t % 2] ^= 1 << (t % 32);
      if (Number.isNaN(float[0])) continue;
      hash64(float[0], b);
      flipped += popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
    }
    expect(flipped / trials / 64).toBeGreaterThan(0.48);
    expect(flipped / trials / 64).toBeLessThan(0.52);
  });
});

function popcount(x: number): number {
  let count = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) count += v & 1;
  return count;
}
