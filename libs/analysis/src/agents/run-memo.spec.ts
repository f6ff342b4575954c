import { perRun } from './run-memo';

describe('perRun', () => {
  it('computes once per run and hands every call of that run the same result', async () => {
    const shared = perRun<number>();
    const first = {};
    const second = {};
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    const results = await Promise.all([
      shared(first, compute),
      shared(first, compute),
      shared(second, compute),
      shared(first, compute),
    ]);
    expect(results).toEqual([1, 1, 2, 1]);
    expect(computed).toBe(2);
  });

  it('hands a failure to every call of the run', async () => {
    const shared = perRun<number>();
    const run = {};
    const failing = () => Promise.reject(new Error('the query broke'));
    await expect(shared(run, failing)).rejects.toThrow('the query broke');
    await expect(shared(run, () => Promise.resolve(1))).rejects.toThrow('the query broke');
  });
});
