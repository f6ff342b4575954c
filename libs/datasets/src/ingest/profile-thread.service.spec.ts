import { loadConfig } from '@app/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { InlineTypedProfiles, type TypedProfiles } from '../profiling/typed-profiles';
import { ProfileThreadService } from './profile-thread.service';

/** A seeded stream of windows for three typed columns, with empty fields (NaN). */
function windows(
  count: number,
  rows: number,
): Array<{ ints: number[]; times: number[]; flags: number[] }> {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => ({
    ints: Array.from({ length: rows }, () =>
      next() < 0.05 ? NaN : Math.floor(next() * 1000) - 500,
    ),
    times: Array.from({ length: rows }, () =>
      next() < 0.05 ? NaN : 1_600_000_000_000 + Math.floor(next() * 1e6) * 1000,
    ),
    flags: Array.from({ length: rows }, () => (next() < 0.1 ? NaN : next() < 0.3 ? 1 : 0)),
  }));
}

/** Feeds the same steps as the loader would: start, windows, a widening, a discard. */
async function feed(profiles: TypedProfiles, data: ReturnType<typeof windows>): Promise<void> {
  profiles.start(0, 'amount', 'integer', 3);
  profiles.start(1, 'day', 'date', 0);
  profiles.start(2, 'ok', 'boolean', 1);
  profiles.start(3, 'later text', 'number', 0);
  data.forEach((window, i) => {
    if (i === 5) profiles.widen(0, 'number');
    if (i === 7) profiles.widen(1, 'datetime');
    if (i === 9) profiles.discard(3);
    profiles.add(0, Float64Array.from(window.ints));
    profiles.add(1, Float64Array.from(window.times));
    profiles.add(2, Float64Array.from(window.flags));
    if (i < 9) profiles.add(3, Float64Array.from(window.ints));
  });
  // The loader flushes once per window; the last flushes here come all at once, so more
  // windows are in flight than the thread allows and some flushes must wait.
  for (let i = 0; i < data.length; i++) await profiles.flush();
}

describe('ProfileThreadService', () => {
  let thread: ProfileThreadService;

  beforeEach(() => {
    thread = new ProfileThreadService(loadConfig({ NODE_ENV: 'test' }));
  });

  afterEach(async () => {
    await thread.onModuleDestroy();
  });

  it('profiles on the worker thread exactly as on this one', async () => {
    const data = windows(40, 500);
    const inline = new InlineTypedProfiles();
    await feed(inline, data);
    const threaded = thread.open();
    await feed(threaded, data);
    const [expected, actual] = await Promise.all([inline.finish(), threaded.finish()]);
    expect([...actual.keys()].sort()).toEqual([0, 1, 2]);
    expect(actual).toEqual(expected);
    expect(actual.get(0)).toMatchObject({ type: 'number', count: 3 + 40 * 500 });
    expect(actual.get(1)?.type).toBe('datetime');
    threaded.close();
  });

  it('keeps uploads apart when they run at the same time', async () => {
    const first = thread.open();
    const second = thread.open();
    first.start(0, 'a', 'integer', 0);
    second.start(0, 'b', 'number', 2);
    first.add(0, Float64Array.from([1, 2, 3]));
    second.add(0, Float64Array.from([0.5]));
    await Promise.all([first.flush(), second.flush()]);
    const [a, b] = await Promise.all([first.finish(), second.finish()]);
    expect(a.get(0)).toMatchObject({ name: 'a', count: 3, min: 1, max: 3 });
    expect(b.get(0)).toMatchObject({ name: 'b', count: 3, nullCount: 2, min: 0.5 });
  });

  it('fails the upload whose step is wrong, and only that one', async () => {
    const broken = thread.open();
    const fine = thread.open();
    broken.add(4, Float64Array.from([1]));
    fine.start(0, 'x', 'integer', 0);
    fine.add(0, Float64Array.from([5]));
    await broken.flush();
    await expect(broken.finish()).rejects.toThrow(/column 4 has no profile started/);
    broken.close();
    await fine.flush();
    expect((await fine.finish()).get(0)).toMatchObject({ count: 1, min: 5 });
  });

  it('fails the uploads in flight when the thread dies, and starts a new one after', async () => {
    const cut = thread.open();
    cut.start(0, 'x', 'integer', 0);
    await cut.flush();
    await thread.onModuleDestroy();
    await expect(cut.finish()).rejects.toThrow(/profile worker thread exited/);
    await expect(cut.flush()).rejects.toThrow(/profile worker thread exited/);
    cut.close();

    const next = thread.open();
    next.start(0, 'y', 'boolean', 0);
    next.add(0, Float64Array.from([1, 0, 1]));
    await next.flush();
    expect((await next.finish()).get(0)).toMatchObject({ count: 3, distinctCount: 2 });
  });

  it('copies the values at flush, so the caller may reuse its array (nothing detached)', async () => {
    const profiles = thread.open();
    const values = Float64Array.from([1, 2, 3]);
    profiles.start(0, 'x', 'integer', 0);
    profiles.add(0, values);
    await profiles.flush();
    expect(values.length).toBe(3); // not transferred: still attached here
    values.fill(100); // the next window's values, written into the same array
    profiles.add(0, values.subarray(0, 1));
    await profiles.flush();
    expect((await profiles.finish()).get(0)).toMatchObject({
      count: 4,
      min: 1,
      max: 100,
      mean: 26.5,
    });
  });

  describe('when the thread stops answering', () => {
    const silenceMs = 1000;
    let watched: ProfileThreadService;

    beforeEach(() => {
      const config = loadConfig({
        NODE_ENV: 'test',
        DATASET_UPLOAD_IDLE_TIMEOUT_MS: String(silenceMs),
      });
      watched = new ProfileThreadService(config);
    });

    afterEach(async () => {
      await watched.onModuleDestroy();
    });

    it('fails every upload on it after the idle timeout, and the next upload gets a new one', async () => {
      const stuck = watched.open();
      const bystander = watched.open();
      bystander.start(0, 'b', 'integer', 0);
      await bystander.flush();
      // 10^15 missing values to count, one at a time: the thread is busy for days.
      stuck.start(0, 'x', 'integer', 1e15);
      const started = Date.now();
      await expect(stuck.finish()).rejects.toThrow(/answered nothing for \d+ ms/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(silenceMs);
      await expect(bystander.finish()).rejects.toThrow(/answered nothing/);
      stuck.close();
      bystander.close();

      const next = watched.open();
      next.start(0, 'y', 'boolean', 0);
      next.add(0, Float64Array.from([1, 0]));
      await next.flush();
      expect((await next.finish()).get(0)).toMatchObject({ count: 2, distinctCount: 2 });
    });

    it('counts only the time an upload waits, not the time between windows', async () => {
      const profiles = watched.open();
      profiles.start(0, 'x', 'integer', 0);
      profiles.add(0, Float64Array.from([1, 2]));
      await profiles.flush();
      await sleep(2.5 * silenceMs); // the upload's client pauses; nobody waits on the thread
      profiles.add(0, Float64Array.from([3]));
      await profiles.flush();
      expect((await profiles.finish()).get(0)).toMatchObject({ count: 3, max: 3 });
    });
  });
});
