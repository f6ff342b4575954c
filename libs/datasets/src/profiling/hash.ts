/**
 * Hashes for the profilers, written out over int32 so the hot paths allocate nothing (a
 * function returning a uint32 above 2^31 boxes it, hence int32 results throughout). Numbers are
 * hashed through their IEEE-754 bits, with -0 folded into 0 as they compare equal; NaN is kept
 * out by the callers. Outputs are stable across runs and processes, and not meant to match any
 * other library's.
 */

// Read once: a global lookup per call is free in Node but costs ~0.3 µs inside a vm context
// (Jest's), which turned a 1 s spec into a 20 s one.
const imul = Math.imul;

const float = new Float64Array(1);
const words = new Int32Array(float.buffer);

/** MurmurHash3's 32-bit finalizer: a bijection in which every input bit flips each output bit with odds ≈ ½. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Cheap 32-bit hash of a number for hash-table buckets (no quality needed beyond spreading). */
export function hashIndex(x: number): number {
  float[0] = x === 0 ? 0 : x;
  return fmix32(words[0] ^ imul(words[1], 0x9e3779b1));
}

/**
 * 64-bit hash of a number, written to `out` as two int32 halves (low, high).
 * Each half is fmix32(one word ^ fmix32(other word ^ seed)); for two different inputs to agree
 * on both halves, two independent 32-bit equations must hold, so the pair behaves as a 64-bit
 * hash (joint collisions at odds ≈ 2^-64), as HyperLogLog needs beyond 2^32 keys.
 */
export function hash64(x: number, out: Int32Array): void {
  float[0] = x === 0 ? 0 : x;
  const low = words[0];
  const high = words[1];
  out[0] = fmix32(low ^ fmix32(high ^ 0x9747b28c));
  out[1] = fmix32(high ^ fmix32(low ^ 0x2f1b5e3d));
}

function mixBlock(h: number, block: number): number {
  let k = imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * 53-bit hash of a string (MurmurHash3 x86_32 over UTF-16 code units, two seeds, 21 + 32 bits),
 * exact as a JavaScript number, so string values can be counted as number keys: two distinct
 * strings among n share a key with odds about n² / 2^54 (below 10^-8 for n = 10,000).
 */
export function hashString53(s: string): number {
  let high = 0x9747b28c | 0;
  let low = 0x2f1b5e3d;
  const length = s.length;
  const even = length & ~1;
  for (let i = 0; i < even; i += 2) {
    const block = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    high = mixBlock(high, block);
    low = mixBlock(low, block);
  }
  if (even !== length) {
    let k = imul(s.charCodeAt(even), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = imul(k, 0x1b873593);
    high ^= k;
    low ^= k;
  }
  high = fmix32(high ^ (length * 2));
  low = fmix32(low ^ (length * 2));
  return (high >>> 11) * 0x100000000 + (low >>> 0);
}
