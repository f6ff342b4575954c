import { parseMetricInputs } from '@app/metrics';
import { tool } from '@openai/agents';
import { z } from 'zod';
import type { MetricGroup } from './metric-group';
import { numbersNotFromTools } from '../guardrails/tool-numbers';

/** Most metrics the agents of one analysis may record with `record_metric`. */
export const MAX_RECORDED_METRICS = 100;

/**
 * What the tools of one analysis returned, by call id, and the metrics its agents asked to
 * record. The metrics are written with the result, in its transaction (a retried analysis
 * replaces them like the rest), not as each call happens.
 */
export class ToolLedger {
  private readonly outputs = new Map<string, string>();
  private readonly groups = new Map<string, MetricGroup>();
  private count = 0;

  constructor(private readonly datasetId: string | undefined) {}

  remember(callId: string, output: string): void {
    this.outputs.set(callId, output);
  }

  output(callId: string): string | undefined {
    return this.outputs.get(callId);
  }

  record(agent: string, toolCallId: string, metric: MetricGroup['metrics'][number]): void {
    if (this.count >= MAX_RECORDED_METRICS)
      throw new Error(`at most ${MAX_RECORDED_METRICS} metrics may be recorded per analysis`);
    const key = `${agent}\u0000${toolCallId}`;
    const group = this.groups.get(key) ?? { agent, toolCallId, metrics: [] };
    group.metrics.push(
      this.datasetId === undefined ? metric : { ...metric, datasetId: this.datasetId },
    );
    this.groups.set(key, group);
    this.count++;
  }

  /** The recorded metrics, grouped by agent and the tool call whose output holds each value. */
  recorded(): MetricGroup[] {
    return [...this.groups.values()];
  }
}

/**
 * `record_metric` for a model that chooses what to keep: one number a tool of this analysis
 * returned, named, with the id of that tool call. The value must be in that call's output
 * (at the precision given), so a metric is never a number of the model's own; the call id
 * is the metric's provenance. A refused call answers the model with the reason (it may
 * correct itself) and records nothing. The builtin planner never calls it: its arguments
 * cannot be filled from the brief, and the builtin metrics are recorded from the outputs.
 */
export function recordMetricTool(ledger: ToolLedger, agent: string) {
  return tool({
    // The reason goes back to the model, so that it may correct the call. (The SDK's default
    // answer has been a fixed sentence without the reason since 0.15; this keeps its wording.)
    errorFunction: (_context, error) =>
      `An error occurred while running the tool. Please try again. Error: ${String(error)}`,
    name: 'record_metric',
    description:
      'Record one number that a tool returned in this analysis as a metric. Give the id of ' +
      'the tool call whose output holds the value.',
    parameters: z.object({
      name: z
        .string()
        .describe('Metric name: letters, digits and . _ : / - (e.g. sales.trend.slope)'),
      value: z.number(),
      unit: z.string().nullable(),
      dimensions: z
        .array(z.object({ key: z.string(), value: z.string() }))
        .nullable()
        .describe('What the number is about, e.g. [{"key":"column","value":"sales"}]'),
      fromToolCallId: z.string().describe('The id of the tool call whose output holds the value'),
    }),
    execute: ({ name, value, unit, dimensions, fromToolCallId }) => {
      const output = ledger.output(fromToolCallId);
      if (output === undefined)
        throw new Error(`no tool call ${fromToolCallId} has returned in this analysis`);
      if (numbersNotFromTools([String(Math.abs(value))], [output]).length > 0)
        throw new Error(`${value} is not in the output of tool call ${fromToolCallId}`);
      const [metric] = parseMetricInputs(
        [
          {
            name,
            value,
            ...(unit === null ? {} : { unit }),
            dimensions: Object.fromEntries((dimensions ?? []).map((d) => [d.key, d.value])),
          },
        ],
        new Date(),
        'record_metric',
      );
      if (metric === undefined) throw new Error('nothing to record');
      ledger.record(agent, fromToolCallId, {
        name: metric.name,
        value: metric.value,
        dimensions: metric.dimensions,
        ...(metric.unit === null ? {} : { unit: metric.unit }),
      });
      return JSON.stringify({ recorded: { name: metric.name, value: metric.value } });
    },
  });
}
