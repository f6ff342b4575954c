import { countWindows, detectionEvents, precisionRecall, toleranceWindows } from './window-scoring';

describe('detectionEvents', () => {
  it('merges runs of consecutive indexes, whatever their order or repeats', () => {
    expect(detectionEvents([7, 3, 4, 5, 9, 4, 10])).toEqual([
      { start: 3, end: 5 },
      { start: 7, end: 7 },
      { start: 9, end: 10 },
    ]);
    expect(detectionEvents([])).toEqual([]);
  });
});

describe('countWindows', () => {
  const windows = [
    { start: 10, end: 20 },
    { start: 50, end: 60 },
  ];

  it('counts a burst as one event, and a window once however many hits it has', () => {
    // One burst of 30 points across the first window, one point before it, one far after.
    const burst = Array.from({ length: 30 }, (_, k) => 5 + k);
    expect(countWindows([2, ...burst, 90], windows)).toEqual({
      windows: 2,
      windowsFound: 1,
      events: 3,
      eventsInside: 1,
      eventsBeforeFirstWindow: 1,
    });
  });

  it('drops indexes before ignoreBefore first', () => {
    expect(countWindows([2, 3, 55], windows, 5)).toEqual({
      windows: 2,
      windowsFound: 1,
      events: 1,
      eventsInside: 1,
      eventsBeforeFirstWindow: 0,
    });
  });

  it('counts every event before the first window when there is no window', () => {
    expect(countWindows([1, 5, 6], [])).toMatchObject({ events: 2, eventsBeforeFirstWindow: 2 });
  });
});

describe('precisionRecall', () => {
  it('is the micro-averaged precision, recall and their harmonic mean', () => {
    const result = precisionRecall({
      windows: 4,
      windowsFound: 3,
      events: 6,
      eventsInside: 2,
      eventsBeforeFirstWindow: 0,
    });
    expect(result.recall).toBe(0.75);
    expect(result.precision).toBeCloseTo(1 / 3, 12);
    expect(result.f1).toBeCloseTo((2 * 0.75 * (1 / 3)) / (0.75 + 1 / 3), 12);
  });

  it('gives F1 0 when nothing was detected, and nothing when there was nothing to find', () => {
    const none = {
      windows: 2,
      windowsFound: 0,
      events: 0,
      eventsInside: 0,
      eventsBeforeFirstWindow: 0,
    };
    expect(precisionRecall(none)).toEqual({ recall: 0, precision: null, f1: 0 });
    expect(precisionRecall({ ...none, windows: 0 })).toEqual({
      recall: null,
      precision: null,
      f1: null,
    });
  });
});

describe('toleranceWindows', () => {
  it('spans ±tolerance around each point, clipped to the series', () => {
    expect(toleranceWindows([2, 50, 98], 5, 100)).toEqual([
      { start: 0, end: 7 },
      { start: 45, end: 55 },
      { start: 93, end: 99 },
    ]);
  });
});
