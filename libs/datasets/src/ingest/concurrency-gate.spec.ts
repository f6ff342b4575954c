import { ConcurrencyGate } from './concurrency-gate';

function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
} {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most its capacity at once and the rest in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    const started: number[] = [];
    const jobs = [0, 1, 2, 3].map(() => deferred());
    const runs = jobs.map((job, i) =>
      gate.run(async () => {
        started.push(i);
        await job.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ active: 2, waiting: 2 });
    jobs[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    jobs[0]?.resolve();
    jobs[2]?.resolve();
    jobs[3]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the place of work that fails', async () => {
    const gate = new ConcurrencyGate(1);
    await expect(gate.run(() => Promise.reject(new Error('broken file')))).rejects.toThrow(
      'broken file',
    );
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });
});
