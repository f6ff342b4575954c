import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from './datasets';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }>;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ type: 'function'; function: { name: string; parameters: JsonSchema } }>;
  response_format?: { type: string; json_schema?: { name: string; schema: JsonSchema } };
  stream?: boolean;
}

export interface Received {
  body: ChatRequest;
  authorization: string | undefined;
}

export type Mode = 'answer' | 'error' | 'drop' | 'hang';

/**
 * A small, honest stand-in for an LLM behind the Chat Completions protocol
 * (`POST /v1/chat/completions`, non-streaming JSON):
 * - with no `tool` message in the conversation, it calls every offered tool whose
 *   arguments it can fill from the tool's JSON schema (first enum value, the field of the
 *   same name in the user's JSON brief, `null` where allowed, the brief's text for a string);
 * - once tool results are in, it answers with JSON for the `response_format` schema, each
 *   property taken from the tools' outputs (arrays concatenated, first scalar kept), so
 *   every number in its answer is a tool's.
 * With `recordMetrics`, before answering it calls `record_metric` (when offered) twice: with
 * the first number of the first tool output, naming that call, and with a number no tool
 * returned. With `inventFor` set to a tool's name, the final answer of the agent offered that
 * tool has {@link INVENTED} in place of its first number (a model making a number up).
 * It records every request. `error` answers 500; `drop` cuts the connection (as a server
 * that went away); `hang` never answers, counting the requests the client gave up on.
 */
export class FakeChatServer {
  readonly received: Received[] = [];
  mode: Mode = 'answer';
  recordMetrics = false;
  inventFor: string | undefined;
  /**
   * Answers a request that offers `label_passages` (the text agent's passage classifier) by
   * calling it with what this returns for the passages the request carries. Unset, such a
   * request gets no tool call: an answer the classifier cannot use.
   */
  labelPassages: ((passages: Array<{ index: number; text: string }>) => unknown) | undefined;
  /**
   * A test's own script: what it returns answers the request (a tool call or a text answer),
   * `undefined` leaves the request to the behaviour above. For an agent whose tool arguments
   * the schema-filling above cannot guess (a structured query) or an answer in prose.
   */
  script: ((body: ChatRequest) => ChatMessage | undefined) | undefined;
  abandoned = 0;
  private calls = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return send(response, 404, { error: { message: `no route ${request.url}` } });
    }
    const body = JSON.parse(raw) as ChatRequest;
    this.received.push({ body, authorization: request.headers.authorization });
    if (this.mode === 'drop') {
      request.socket.destroy();
      return;
    }
    if (this.mode === 'hang') {
      response.on('close', () => {
        if (!response.writableEnded) this.abandoned += 1;
      });
      return;
    }
    if (this.mode === 'error') {
      return send(response, 500, {
        error: { message: 'the fake model is down', type: 'server_error' },
      });
    }
    if (body.stream === true) {
      return send(response, 400, { error: { message: 'this server does not stream' } });
    }
    const message = this.reply(body);
    const completion = JSON.stringify(message);
    send(response, 200, {
      id: `chatcmpl-fake-${this.received.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message,
          finish_reason: message.tool_calls === undefined ? 'stop' : 'tool_calls',
          logprobs: null,
        },
      ],
      // A rough count (4 characters a token), so usage is seen to travel back.
      usage: {
        prompt_tokens: Math.ceil(raw.length / 4),
        completion_tokens: Math.ceil(completion.length / 4),
        total_tokens: Math.ceil(raw.length / 4) + Math.ceil(completion.length / 4),
      },
    });
  }

  private reply(body: ChatRequest): ChatMessage {
    const scripted = this.script?.(body);
    if (scripted !== undefined) return scripted;
    const labelling = (body.tools ?? []).some((tool) => tool.function.name === 'label_passages');
    if (labelling && this.labelPassages !== undefined) {
      const { passages } = readBrief(body.messages) as {
        passages?: Array<{ index: number; text: string }>;
      };
      const call = {
        id: `call_fake_${(this.calls += 1)}_label_passages`,
        type: 'function' as const,
        function: {
          name: 'label_passages',
          arguments: JSON.stringify(this.labelPassages(passages ?? [])),
        },
      };
      return { role: 'assistant', content: null, tool_calls: [call] };
    }
    const results = body.messages.filter((message) => message.role === 'tool');
    if (results.length === 0) {
      const brief = readBrief(body.messages);
      const calls = (body.tools ?? []).flatMap((tool) => {
        const args = argumentsFor(tool.function.parameters, brief);
        if (args === undefined) return [];
        this.calls += 1;
        return [
          {
            id: `call_fake_${this.calls}_${tool.function.name}`,
            type: 'function' as const,
            function: { name: tool.function.name, arguments: JSON.stringify(args) },
          },
        ];
      });
      if (calls.length > 0) return { role: 'assistant', content: null, tool_calls: calls };
    }
    const recorded = body.messages.some((message) =>
      (message.tool_calls ?? []).some((call) => call.function.name === 'record_metric'),
    );
    const offered = (body.tools ?? []).some((tool) => tool.function.name === 'record_metric');
    if (this.recordMetrics && offered && !recorded && results.length > 0) {
      const first = results[0];
      const value = Number(/\d+(?:\.\d+)?/.exec(text(first?.content))?.[0] ?? 0);
      const record = (name: string, number: number) => ({
        id: `call_fake_${(this.calls += 1)}_record_metric`,
        type: 'function' as const,
        function: {
          name: 'record_metric',
          arguments: JSON.stringify({
            name,
            value: number,
            unit: null,
            dimensions: [{ key: 'by', value: 'fake' }],
            fromToolCallId: first?.tool_call_id,
          }),
        },
      });
      return {
        role: 'assistant',
        content: null,
        tool_calls: [record('fake.recorded', value), record('fake.invented', 987654.321)],
      };
    }
    const outputs = results.map((result) => parse(text(result.content)));
    const schema = body.response_format?.json_schema?.schema;
    const answer = schema === undefined ? outputs : fill(schema, outputs);
    const invent = (body.tools ?? []).some((tool) => tool.function.name === this.inventFor);
    return {
      role: 'assistant',
      content: JSON.stringify(invent ? withInvented(answer) : answer),
    };
  }
}

/** A number no tool returns. */
export const INVENTED = 987654.321;

/** `value` with its first number (depth first) replaced by {@link INVENTED}. */
function withInvented(value: unknown): unknown {
  let done = false;
  const walk = (item: unknown): unknown => {
    if (done) return item;
    if (typeof item === 'number') {
      done = true;
      return INVENTED;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null)
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return walk(value);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export function text(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

function parse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBrief(messages: ChatMessage[]): Json {
  const user = messages.find((message) => message.role === 'user');
  const parsed = parse(text(user?.content));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : { text: parsed };
}

function types(schema: JsonSchema): string[] {
  const own = Array.isArray(schema.type) ? schema.type : [schema.type ?? ''];
  return [...own, ...(schema.anyOf ?? []).flatMap(types)];
}

function enumOf(schema: JsonSchema): unknown[] | undefined {
  return schema.enum ?? schema.anyOf?.find((option) => option.enum !== undefined)?.enum;
}

function argumentsFor(schema: JsonSchema, brief: Json): Json | undefined {
  const args: Json = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const choices = enumOf(property);
    if (choices !== undefined) args[name] = choices[0];
    else if (name in brief) args[name] = brief[name];
    else if (types(property).includes('null')) args[name] = null;
    else if (types(property).includes('string')) args[name] = JSON.stringify(brief);
    else return undefined;
  }
  return args;
}

function fill(schema: JsonSchema, outputs: unknown[]): unknown {
  const kinds = types(schema);
  if (kinds.includes('object') && schema.properties !== undefined) {
    const objects = outputs.filter(
      (output): output is Json => typeof output === 'object' && output !== null,
    );
    return Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        fill(
          property,
          objects.filter((output) => name in output).map((output) => output[name]),
        ),
      ]),
    );
  }
  if (kinds.includes('array')) return outputs.flatMap((output) => output);
  if (outputs.length > 0) return outputs[0];
  if (kinds.includes('null')) return null;
  const choices = enumOf(schema);
  if (choices !== undefined) return choices[0];
  if (kinds.includes('string')) return '';
  if (kinds.includes('boolean')) return false;
  return 0;
}
