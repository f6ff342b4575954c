/**
 * Metrics of one tool call: written with the agent and the call as provenance. A module of
 * its own, so that the orchestrator, the metrics of an outcome and `record_metric` share it
 * without importing one another.
 */
export interface MetricGroup {
  agent: string;
  toolCallId: string | null;
  metrics: Array<{
    name: string;
    value: number;
    unit?: string;
    dimensions: Record<string, string>;
    datasetId?: string;
  }>;
}
