/**
 * A chart could not be rendered: an invalid spec, a reference to an external resource
 * (refused by the sandbox), a Vega runtime error, or a chart that draws nothing. The
 * message says which, so a report can show it instead of a blank chart.
 */
export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Wraps any failure in a ChartRenderError, keeping the original as its cause. */
export function toChartRenderError(error: unknown): ChartRenderError {
  if (error instanceof ChartRenderError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ChartRenderError(`chart could not be rendered: ${reason}`, { cause: error });
}
