/**
 * Puts `String.prototype` back into V8's fast-properties mode.
 *
 * Any `class X extends String` (the Redis client's RESP decoder declares one) makes V8
 * normalise `String.prototype` into a dictionary when it becomes a prototype, and a
 * string primitive's property loads never ask V8 to make it fast again. From then on
 * every `text.charCodeAt(i)` in optimised code is a generic LoadIC call instead of an
 * inlined character load: the CSV ingest path measured 2.3× slower for it (45 % of its
 * CPU in `Builtins_LoadIC`). A property load on a String wrapper object *does* run V8's
 * "make prototypes fast" step, so a few of those, once every module is loaded, undo it.
 * Harmless on engines or versions that never slowed it down.
 */
export function restoreFastStringPrototype(): void {
  const wrapper: { absent?: unknown } = Object(String('')) as { absent?: unknown };
  const probe = (): boolean => wrapper.absent === undefined;
  // Enough calls for the load site to get its feedback vector (lazily allocated) and IC.
  for (let call = 0; call < 64; call++) probe();
}
