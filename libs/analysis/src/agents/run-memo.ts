/**
 * A computation shared by the tool calls of one agent run. The planner calls a column tool
 * once per column, all in one turn, and one pass over the dataset's table answers every
 * column at the cost of little more than one: the first call starts it, the others (and
 * later turns) await the same promise. Keyed by the run's `RunContext`, so a new run computes
 * afresh and nothing outlives the run.
 */
export function perRun<T>(): (runContext: object, compute: () => Promise<T>) => Promise<T> {
  const results = new WeakMap<object, Promise<T>>();
  return (runContext, compute) => {
    let result = results.get(runContext);
    if (result === undefined) {
      result = compute();
      results.set(runContext, result);
    }
    return result;
  };
}
