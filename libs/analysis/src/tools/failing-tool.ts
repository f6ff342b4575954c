import {
  type FunctionTool,
  tool,
  type ToolInputParameters,
  type ToolOptions,
  type UnknownContext,
} from '@openai/agents';

/**
 * A tool whose failure (a query error, a timeout) fails its agent: the SDK's default would
 * hand the error to the model as the tool's answer, and the model must not improvise past
 * it. Every analysis tool but `record_metric` (whose errors the model may correct) is one.
 */
export function failingTool<
  TParameters extends ToolInputParameters = undefined,
  Context = UnknownContext,
  Result = string,
>(options: ToolOptions<TParameters, Context>): FunctionTool<Context, TParameters, Result> {
  return tool<TParameters, Context, Result>({ ...options, errorFunction: null });
}
