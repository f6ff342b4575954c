/**
 * Runs `work` and answers how long it took and the longest the event loop went without
 * running a timer meanwhile: a run's heartbeat is a timer, so rendering must leave it turns.
 */
export async function timerStall(
  work: () => Promise<unknown>,
): Promise<{ totalMs: number; stallMs: number }> {
  const started = Date.now();
  let last = started;
  let stallMs = 0;
  const probe = setInterval(() => {
    const now = Date.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(probe);
  }
  const ended = Date.now();
  return { totalMs: ended - started, stallMs: Math.max(stallMs, ended - last) };
}

/** Keeps the thread busy for `ms`, as a CPU-bound renderer does. */
export function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spinning on purpose
  }
}
