import { KnownValuesCache } from './known-values-cache';

describe('KnownValuesCache', () => {
  const values = (value: string) => new Map([['weather', [value]]]);

  it('reads a dataset once, however many questions ask at once', async () => {
    const cache = new KnownValuesCache();
    const read = jest.fn(() => Promise.resolve(values('rain')));
    const answers = await Promise.all([cache.get('a', read), cache.get('a', read)]);
    expect(answers.map((a) => a.get('weather'))).toEqual([['rain'], ['rain']]);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed read', async () => {
    const cache = new KnownValuesCache();
    await expect(cache.get('a', () => Promise.reject(new Error('timeout')))).rejects.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.get('a', () => Promise.resolve(values('sun')))).get('weather')).toEqual([
      'sun',
    ]);
  });

  it('drops the dataset asked about least recently past 200', async () => {
    const cache = new KnownValuesCache();
    for (let k = 0; k < 200; k++) await cache.get(`d${k}`, () => Promise.resolve(values(`${k}`)));
    await cache.get('d0', () => Promise.resolve(values('again')));
    await cache.get('new', () => Promise.resolve(values('new')));
    const reread = jest.fn(() => Promise.resolve(values('reread')));
    expect((await cache.get('d0', reread)).get('weather')).toEqual(['0']);
    expect((await cache.get('d1', reread)).get('weather')).toEqual(['reread']);
  });
});
