/**
 * Scoring detections (indexes into a series) against labelled windows (inclusive index
 * ranges). A run of consecutive detected indexes is one detection event, so that a burst
 * of fifty flagged points near one incident counts once, not fifty times.
 */

/** An inclusive range of indexes: a labelled window, or a detection event. */
export interface Window {
  start: number;
  end: number;
}

export interface WindowCounts {
  windows: number;
  /** Windows with at least one detected index inside. */
  windowsFound: number;
  events: number;
  /** Events with at least one index inside some window. */
  eventsInside: number;
  /** Events that end before the first window starts (all events when there is no window). */
  eventsBeforeFirstWindow: number;
}

export const NO_COUNTS: WindowCounts = {
  windows: 0,
  windowsFound: 0,
  events: 0,
  eventsInside: 0,
  eventsBeforeFirstWindow: 0,
};

/** Distinct indexes, ascending, with each run of consecutive ones merged into one event. */
export function detectionEvents(indexes: Iterable<number>): Window[] {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const events: Window[] = [];
  for (const index of sorted) {
    const last = events[events.length - 1];
    if (last !== undefined && index === last.end + 1) last.end = index;
    else events.push({ start: index, end: index });
  }
  return events;
}

function overlaps(a: Window, b: Window): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Counts of one series' detections against its windows. Indexes before `ignoreBefore` are
 * dropped first (NAB's probationary period, where a streaming detector is still learning).
 */
export function countWindows(
  indexes: Iterable<number>,
  windows: readonly Window[],
  ignoreBefore = 0,
): WindowCounts {
  const kept = [...indexes].filter((i) => i >= ignoreBefore);
  const events = detectionEvents(kept);
  const firstStart = Math.min(...windows.map((w) => w.start));
  return {
    windows: windows.length,
    windowsFound: windows.filter((w) => kept.some((i) => i >= w.start && i <= w.end)).length,
    events: events.length,
    eventsInside: events.filter((e) => windows.some((w) => overlaps(e, w))).length,
    eventsBeforeFirstWindow: events.filter((e) => e.end < firstStart).length,
  };
}

export function addCounts(a: WindowCounts, b: WindowCounts): WindowCounts {
  return {
    windows: a.windows + b.windows,
    windowsFound: a.windowsFound + b.windowsFound,
    events: a.events + b.events,
    eventsInside: a.eventsInside + b.eventsInside,
    eventsBeforeFirstWindow: a.eventsBeforeFirstWindow + b.eventsBeforeFirstWindow,
  };
}

export interface PrecisionRecall {
  /** Null when there are no windows. */
  recall: number | null;
  /** Null when there are no events. */
  precision: number | null;
  /** 0 when either is 0 or undefined (nothing found counts as failing), null with neither. */
  f1: number | null;
}

/** Precision, recall and F1 of (summed, so micro-averaged) counts. */
export function precisionRecall(counts: WindowCounts): PrecisionRecall {
  const recall = counts.windows === 0 ? null : counts.windowsFound / counts.windows;
  const precision = counts.events === 0 ? null : counts.eventsInside / counts.events;
  if (recall === null && precision === null) return { recall, precision, f1: null };
  const f1 =
    recall === null || precision === null || recall + precision === 0
      ? 0
      : (2 * precision * recall) / (precision + recall);
  return { recall, precision, f1 };
}

/**
 * Windows of ±`tolerance` indexes around each true point (a change point, a spike), clipped
 * to the series: a detection within the tolerance of a true point is a hit.
 */
export function toleranceWindows(
  points: readonly number[],
  tolerance: number,
  n: number,
): Window[] {
  return points.map((p) => ({
    start: Math.max(0, p - tolerance),
    end: Math.min(n - 1, p + tolerance),
  }));
}
