import { MemoryReadCache } from './memory-read-cache';

describe('MemoryReadCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers what was stored, as the same object (no JSON round trip)', async () => {
    const cache = new MemoryReadCache(10);
    const value = { at: new Date(0), points: [1, 2] };

    expect(await cache.set('a', value, 1000)).toBe(true);

    expect(await cache.get('a')).toBe(value);
    expect(await cache.mget(['missing', 'a'])).toEqual([undefined, value]);
  });

  it('forgets an entry once its time to live has passed', async () => {
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    const cache = new MemoryReadCache(10);
    await cache.set('a', 'short', 1000);
    await cache.mset([
      { key: 'b', value: 'short', ttl: 1000 },
      { key: 'c', value: 'long', ttl: 5000 },
    ]);

    now.mockReturnValue(start + 1000);
    expect(await cache.mget(['a', 'b', 'c'])).toEqual(['short', 'short', 'long']);
    now.mockReturnValue(start + 1001);
    expect(await cache.mget(['a', 'b', 'c'])).toEqual([undefined, undefined, 'long']);
    expect(await cache.get('a')).toBeUndefined();
    now.mockReturnValue(start + 5001);
    expect(await cache.get('c')).toBeUndefined();
  });

  it('keeps the most recently used entries within its capacity', async () => {
    const cache = new MemoryReadCache(2);
    await cache.set('a', 1, 1000);
    await cache.set('b', 2, 1000);
    await cache.get('a');
    await cache.set('c', 3, 1000);

    expect(await cache.mget(['a', 'b', 'c'])).toEqual([1, undefined, 3]);
  });

  it('deletes, and reports memory to readiness', async () => {
    const cache = new MemoryReadCache(10);
    await cache.set('a', 1, 1000);

    expect(await cache.del('a')).toBe(true);
    expect(await cache.del('a')).toBe(false);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.health()).toEqual({ store: 'memory' });
  });
});
