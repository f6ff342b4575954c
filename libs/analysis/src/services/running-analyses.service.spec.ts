import { RunningAnalysesService } from './running-analyses.service';

describe('RunningAnalysesService', () => {
  it('aborts the run of an analysis it registered, and only that one', () => {
    const running = new RunningAnalysesService();
    const first = running.start('a');
    const second = running.start('b');
    expect(running.has('a')).toBe(true);
    running.abort('a');
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
  });

  it('forgets a finished run: it is no longer running here, and an abort reaches nothing', () => {
    const running = new RunningAnalysesService();
    const run = running.start('a');
    running.finish('a');
    expect(running.has('a')).toBe(false);
    running.abort('a');
    expect(run.signal.aborted).toBe(false);
  });

  it('does nothing for an analysis this process does not run', () => {
    const running = new RunningAnalysesService();
    expect(() => running.abort('elsewhere')).not.toThrow();
    expect(running.has('elsewhere')).toBe(false);
  });
});
