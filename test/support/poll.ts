/**
 * Polls `probe` until it returns something other than `undefined`, and returns that; fails
 * naming `what` at the deadline. Tests wait for the event that shows the work is done, never
 * for a fixed time after which "nothing happened" would pass on a slow machine too.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
