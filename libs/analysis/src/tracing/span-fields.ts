import type { SpanData } from '@openai/agents';

/*
 * The fields of the SDK's spans that the logs and OpenTelemetry get, read one by one:
 * never prompts, model outputs, tool inputs or outputs, nor an error's data (they hold
 * the organization's data), and a field an SDK update adds reaches neither unnoticed.
 */

/** What the span is about, from the fields that name things (never inputs or outputs). */
export function spanName(data: SpanData): string | undefined {
  switch (data.type) {
    case 'agent':
    case 'task':
    case 'function':
    case 'custom':
    case 'guardrail':
      return data.name;
    case 'turn':
      return `${data.agent_name} turn ${data.turn}`;
    case 'generation':
    case 'transcription':
    case 'speech':
      return data.model;
    case 'handoff':
      return `${data.from_agent ?? '?'} -> ${data.to_agent ?? '?'}`;
    case 'mcp_tools':
      return data.server;
    case 'response':
    case 'speech_group':
      return undefined;
  }
}

export function spanUsage(data: SpanData): Record<string, number> | undefined {
  const usage =
    data.type === 'generation' || data.type === 'task' || data.type === 'turn'
      ? data.usage
      : undefined;
  if (usage === undefined) return undefined;
  // Token counts only (generation usage may carry provider-specific `details`).
  const counts: Record<string, number> = {};
  for (const key of ['requests', 'input_tokens', 'output_tokens', 'total_tokens'] as const) {
    const value = (usage as Record<string, unknown>)[key];
    if (typeof value === 'number') counts[key] = value;
  }
  return Object.keys(counts).length === 0 ? undefined : counts;
}

export function durationMs(startedAt: string | null, endedAt: string | null): number | null {
  if (startedAt === null || endedAt === null) return null;
  return Date.parse(endedAt) - Date.parse(startedAt);
}
