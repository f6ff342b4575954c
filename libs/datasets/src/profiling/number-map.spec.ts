import { NumberMap } from './number-map';
import { seededRandom } from './testing/reference';

describe('NumberMap', () => {
  it('agrees with a Map through 200k random sets, gets and deletes (backward-shift deletion)', () => {
    const random = seededRandom(4);
    const map = new NumberMap();
    const reference = new Map<number, number>();
    // A small key space keeps probe runs long and deletions frequent.
    const keys = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? i : i * 1.37 - 100));
    const mismatches: string[] = [];
    for (let step = 0; step < 200_000; step++) {
      const key = keys[Math.floor(random() * keys.length)];
      const action = random();
      let got: unknown;
      let want: unknown;
      if (action < 0.45) {
        [got, want] = [map.set(key, step), !reference.has(key)];
        reference.set(key, step);
      } else if (action < 0.75) {
        [got, want] = [map.delete(key), reference.delete(key)];
      } else {
        [got, want] = [map.get(key), reference.get(key) ?? -1];
      }
      if (got !== want || map.size !== reference.size) mismatches.push(`step ${step} key ${key}`);
    }
    expect(mismatches).toEqual([]);
    const entries: Array<[number, number]> = [];
    map.forEach((key, value) => entries.push([key, value]));
    expect(new Map(entries)).toEqual(reference);
  });

  it('grows past its initial size and keeps every entry', () => {
    const map = new NumberMap(4);
    for (let i = 0; i < 50_000; i++) map.set(i / 7, i);
    expect(map.size).toBe(50_000);
    const missing = Array.from({ length: 50_000 }, (_, i) => i).filter((i) => map.get(i / 7) !== i);
    expect(missing).toEqual([]);
  });

  it('treats -0 as 0, answers putIfAbsent, and clears', () => {
    const map = new NumberMap();
    map.set(-0, 1);
    expect(map.get(0)).toBe(1);
    expect(map.putIfAbsent(0, 5)).toBe(1);
    expect(map.putIfAbsent(2, 5)).toBe(-1);
    expect(map.get(2)).toBe(5);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.has(0)).toBe(false);
  });
});
