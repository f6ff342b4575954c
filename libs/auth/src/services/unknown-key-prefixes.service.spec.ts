import { MemoryReadCache } from '@app/cache';
import { authConfig } from '../testing/fake-auth';
import { UNKNOWN_PREFIX_TTL_MS, UnknownKeyPrefixesService } from './unknown-key-prefixes.service';

const WITH_REDIS = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('UnknownKeyPrefixesService', () => {
  let store: MemoryReadCache;
  let now: number;

  beforeEach(() => {
    store = new MemoryReadCache(1000);
    now = Date.UTC(2026, 0, 1);
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('without Redis: in a bounded map of its own', () => {
    let prefixes: UnknownKeyPrefixesService;

    beforeEach(() => {
      prefixes = new UnknownKeyPrefixesService(store, authConfig());
    });

    it('remembers a prefix that matched no key, until a key with it is created', async () => {
      expect(await prefixes.has('abc123def456')).toBe(false);
      await prefixes.add('abc123def456');
      expect(await prefixes.has('abc123def456')).toBe(true);
      expect(await prefixes.has('other0prefix')).toBe(false);
      await prefixes.forget('abc123def456');
      expect(await prefixes.has('abc123def456')).toBe(false);
    });

    it(`forgets a prefix ${UNKNOWN_PREFIX_TTL_MS} ms after it was added`, async () => {
      await prefixes.add('abc123def456');
      now += UNKNOWN_PREFIX_TTL_MS - 1;
      expect(await prefixes.has('abc123def456')).toBe(true);
      now += 1;
      expect(await prefixes.has('abc123def456')).toBe(false);
    });

    it("leaves the read cache alone, so a flood of prefixes cannot push others' entries out", async () => {
      const touched = (['get', 'mget', 'set', 'mset', 'del'] as const).map((method) =>
        jest.spyOn(store, method),
      );
      await prefixes.add('abc123def456');
      await prefixes.has('abc123def456');
      await prefixes.forget('abc123def456');
      for (const spy of touched) expect(spy).not.toHaveBeenCalled();
    });

    it('holds at most 10,000 prefixes, dropping the least recently used', async () => {
      for (let n = 0; n <= 10_000; n++) await prefixes.add(`prefix-${n}`);
      expect(await prefixes.has('prefix-0')).toBe(false);
      expect(await prefixes.has('prefix-1')).toBe(true);
      expect(await prefixes.has('prefix-10000')).toBe(true);
    });
  });

  describe('with Redis: in the shared read cache', () => {
    it('is shared by every replica: one remembers, another forgets for all', async () => {
      const one = new UnknownKeyPrefixesService(store, authConfig(WITH_REDIS));
      const other = new UnknownKeyPrefixesService(store, authConfig(WITH_REDIS));
      await one.add('abc123def456');
      expect(await other.has('abc123def456')).toBe(true);
      await other.forget('abc123def456');
      expect(await one.has('abc123def456')).toBe(false);
    });

    it(`stores each prefix for ${UNKNOWN_PREFIX_TTL_MS} ms`, async () => {
      const set = jest.spyOn(store, 'set');
      await new UnknownKeyPrefixesService(store, authConfig(WITH_REDIS)).add('abc123def456');
      expect(set).toHaveBeenCalledWith(
        expect.stringContaining('abc123def456'),
        true,
        UNKNOWN_PREFIX_TTL_MS,
      );
    });

    it('reads a failing cache as "not known to be unknown", and never throws', async () => {
      const prefixes = new UnknownKeyPrefixesService(store, authConfig(WITH_REDIS));
      await prefixes.add('abc123def456');
      for (const method of ['get', 'set', 'del'] as const) {
        jest.spyOn(store, method).mockRejectedValue(new Error('connection refused'));
      }
      // The lookup then goes to the database, which has the final word.
      expect(await prefixes.has('abc123def456')).toBe(false);
      await expect(prefixes.add('other0prefix')).resolves.toBeUndefined();
      await expect(prefixes.forget('abc123def456')).resolves.toBeUndefined();
    });
  });
});
