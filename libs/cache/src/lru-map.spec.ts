import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('keeps the most recently used entries within its capacity', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.get('a')).toBe(1); // a is now the newest
    map.set('d', 4); // drops b, the least recently used
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('b')).toBeUndefined();
    map.set('c', 30); // an update counts as a use
    map.set('e', 5);
    expect([...map.entries()]).toEqual([
      ['d', 4],
      ['c', 30],
      ['e', 5],
    ]);
    expect(map.size).toBe(3);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
