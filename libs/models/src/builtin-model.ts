import {
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type SerializedTool,
  type StreamEvent,
  Usage,
} from '@openai/agents';

export const BUILTIN_PROVIDER = 'builtin';
export const BUILTIN_MODEL_NAME = 'sightline-builtin-planner-1';

/** Most calls one turn may plan (enum fan-out is a cartesian product). */
const MAX_CALLS_PER_TURN = 64;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
};

interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/**
 * The deterministic model behind the agents when no LLM is configured (ARCHITECTURE.md,
 * "Agents and models"). It is a planner over the request it receives, not a script per
 * agent:
 *
 * 1. First turn: it reads the brief (the run input: a JSON object in the user message)
 *    and the agent's function tools. A tool is called when every parameter can be
 *    filled: from the brief's field of the same name, with `null` where the schema
 *    allows it, and once per value where the schema is an enum (the agents put the
 *    columns a tool applies to in an enum, so "one call per numeric column" is read off
 *    the schema). When the brief's `focus.columns` (the columns the question names, see
 *    planning/question-focus.ts) lists some of an enum's values, only those are called:
 *    "how did temperatures change" trends the temperatures, not every column. All calls
 *    go out in one turn, as parallel tool calls.
 * 2. When the tool results are in the input, it answers: for structured output, each
 *    property of the output schema is gathered from the tools' JSON outputs (arrays
 *    concatenated in call order, objects merged, the first scalar kept), so every number
 *    in the answer is a tool's; for text output, the tool outputs themselves.
 *
 * Same request, same response: call ids derive from the tool and its position, nothing
 * depends on time or randomness. Token usage is reported as zero: no tokens are used.
 */
export class BuiltinModel implements Model {
  getResponse(request: ModelRequest): Promise<ModelResponse> {
    try {
      return Promise.resolve(this.respond(request));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private respond(request: ModelRequest): ModelResponse {
    request.signal?.throwIfAborted();
    const input = typeof request.input === 'string' ? [userMessage(request.input)] : request.input;
    const results = input.filter(
      (item): item is Extract<AgentInputItem, { type: 'function_call_result' }> =>
        item.type === 'function_call_result',
    );
    const output: AgentOutputItem[] =
      results.length === 0
        ? this.plan(readBrief(input), request.tools)
        : [this.answer(results, request.outputType)];
    // The first turn may find nothing to call: then it answers from an empty set of results.
    const final = output.length > 0 ? output : [this.answer([], request.outputType)];
    return { usage: new Usage({ requests: 1 }), output: final, responseId: undefined };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const response = await this.getResponse(request);
    yield {
      type: 'response_done',
      response: {
        id: 'builtin',
        usage: {
          requests: 1,
          inputTokens: 0,
          outputTokens: 0,
          totalTokens: 0,
        },
        output: response.output,
      },
    } as StreamEvent;
  }

  private plan(brief: Record<string, unknown>, tools: SerializedTool[]): AgentOutputItem[] {
    const calls: PlannedCall[] = [];
    for (const tool of tools) {
      if (tool.type !== 'function') continue;
      for (const args of argumentSets(tool.parameters as JsonSchema, brief)) {
        if (calls.length >= MAX_CALLS_PER_TURN) break;
        calls.push({ name: tool.name, args });
      }
    }
    return calls.map((call, index) => ({
      type: 'function_call',
      callId: `call_${index + 1}_${call.name}`,
      name: call.name,
      arguments: JSON.stringify(call.args),
      status: 'completed',
    }));
  }

  private answer(
    results: Array<Extract<AgentInputItem, { type: 'function_call_result' }>>,
    outputType: ModelRequest['outputType'],
  ): AgentOutputItem {
    const outputs = results.map((result) => parseOutput(result.output));
    const text =
      outputType === 'text' || typeof outputType !== 'object'
        ? JSON.stringify(outputs)
        : JSON.stringify(gather(outputType.schema, outputs));
    return {
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text }],
    };
  }
}

/** Hands out the one builtin model whatever name an agent asks for. */
export class BuiltinModelProvider implements ModelProvider {
  private readonly model = new BuiltinModel();

  getModel(): Model {
    return this.model;
  }
}

function userMessage(text: string): AgentInputItem {
  return { type: 'message', role: 'user', content: text };
}

/** The brief: the first user message's JSON object (text that is not JSON is `{text}`). */
function readBrief(input: AgentInputItem[]): Record<string, unknown> {
  for (const item of input) {
    if (item.type !== 'message' || item.role !== 'user') continue;
    const text =
      typeof item.content === 'string'
        ? item.content
        : item.content
            .map((part) => ('text' in part && typeof part.text === 'string' ? part.text : ''))
            .join('');
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // Plain text: below.
    }
    return { text };
  }
  return {};
}

/** Every argument object the schema allows from the brief: none if a required field is unknown. */
function argumentSets(
  schema: JsonSchema,
  brief: Record<string, unknown>,
): Array<Record<string, unknown>> {
  let sets: Array<Record<string, unknown>> = [{}];
  const focused = focusedColumns(brief);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const choices = narrowed(enumValues(property), focused);
    let values: unknown[];
    if (choices !== undefined) values = choices;
    else if (name in brief) values = [brief[name]];
    else if (allowsNull(property)) values = [null];
    else return [];
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
    if (sets.length > MAX_CALLS_PER_TURN) sets = sets.slice(0, MAX_CALLS_PER_TURN);
  }
  return sets;
}

/** The brief's `focus.columns`, if it has any. */
function focusedColumns(brief: Record<string, unknown>): Set<unknown> {
  const focus = brief.focus as { columns?: unknown } | null | undefined;
  return new Set(Array.isArray(focus?.columns) ? (focus.columns as unknown[]) : []);
}

/** An enum's values the focus names, or all of them when it names none of them. */
function narrowed(choices: unknown[] | undefined, focused: Set<unknown>): unknown[] | undefined {
  const named = choices?.filter((choice) => focused.has(choice));
  return named === undefined || named.length === 0 ? choices : named;
}

function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum !== undefined) return schema.enum;
  for (const option of schema.anyOf ?? []) {
    if (option.enum !== undefined) return option.enum;
  }
  return undefined;
}

function allowsNull(schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes('null') || (schema.anyOf ?? []).some((option) => option.type === 'null');
}

function parseOutput(output: unknown): unknown {
  const text =
    typeof output === 'string'
      ? output
      : typeof output === 'object' && output !== null && 'text' in output
        ? String(output.text)
        : '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The output object: each schema property gathered from the tool outputs that have it. */
function gather(schema: JsonSchema, outputs: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const found = outputs
      .filter(
        (output): output is Record<string, unknown> =>
          typeof output === 'object' && output !== null,
      )
      .filter((output) => name in output)
      .map((output) => output[name]);
    result[name] = combine(property, found);
  }
  return result;
}

function combine(schema: JsonSchema, values: unknown[]): unknown {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array')) {
    return values.flatMap((value): unknown[] =>
      Array.isArray(value) ? (value as unknown[]) : [value],
    );
  }
  if (types.includes('object') && schema.properties !== undefined) {
    return gather(schema, values);
  }
  if (values.length > 0) return values[0];
  if (allowsNull(schema)) return null;
  if (types.includes('string')) return '';
  if (types.includes('boolean')) return false;
  // A number no tool gave: there is none to report, and the schema must say nullable.
  return null;
}
