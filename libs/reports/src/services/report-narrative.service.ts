import { AppConfig } from '@app/config';
import { AnalysisModel } from '@app/models';
import type { OrganizationId } from '@app/tenancy';
import { Injectable, Logger } from '@nestjs/common';
import { Runner } from '@openai/agents';
import { writeNarrative } from '../agents/report-narrative-agent';
import type { ReportContent } from '../documents/report-content';
import { composeNarrative } from '../documents/report-narrative';

/** Longest the model may take over a narrative, its wait for a place in the call limit included. */
export const NARRATIVE_TIMEOUT_MS = 15_000;

/**
 * The narrative at the top of a report: written by the `report_narrative` agent on the
 * process's model (builtin by default; its call limit shared with analyses and questions),
 * stating only numbers that the report's tables hold. When the model fails, runs out of
 * time or states another number, the narrative is the tables' own sentences
 * ({@link composeNarrative}) and the log says why: a narrative never fails a run.
 */
@Injectable()
export class ReportNarrativeService {
  private readonly logger = new Logger(ReportNarrativeService.name);
  private readonly runner: Runner;
  private readonly timeoutMs: number;

  constructor(
    private readonly model: AnalysisModel,
    config: AppConfig,
  ) {
    // A runner of its own for the workflow's name in traces; the model and its limit are shared.
    this.runner = new Runner({
      modelProvider: model.modelProvider,
      model: model.name,
      workflowName: 'Sightline report narrative',
      traceIncludeSensitiveData: false,
    });
    // Half the run's own limit at most, so a slow model leaves the documents time to render.
    this.timeoutMs = Math.min(NARRATIVE_TIMEOUT_MS, Math.floor(config.reports.timeoutMs / 2));
  }

  async narrative(organizationId: OrganizationId, content: ReportContent): Promise<string> {
    if (content.metrics.length === 0) return composeNarrative(content);
    let reason: string;
    try {
      const outcome = await writeNarrative({
        runner: this.runner,
        model: this.model.name,
        content,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (outcome.kind === 'written') return outcome.narrative;
      reason = outcome.reason;
    } catch (error) {
      // writeNarrative turns failures into outcomes; this is for one it did not foresee.
      reason = error instanceof Error ? error.message : String(error);
    }
    this.logger.warn(
      `Report run ${content.runId} (organization ${organizationId}): the narrative is the tables' sentences, not the ${this.model.provider} model's: ${reason}`,
    );
    return composeNarrative(content);
  }
}
