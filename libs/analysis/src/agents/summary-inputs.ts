import { z } from 'zod';
import type { AnomaliesOutput } from './anomalies-agent';
import type { ProfileOutput } from './profile-agent';
import type { SegmentsOutput } from './segments-agent';
import type { TextOutput } from './text-agent';
import type { TrendsOutput } from './trends-agent';

/*
 * What the summary is composed from, apart from the agent: the helpers that turn results
 * into insights (series-summary, segments-summary, summary-answer) import it without
 * importing the agent that imports them.
 */

/** What the specialists returned (a missing one failed or did not run). */
export interface SpecialistResults {
  profile?: ProfileOutput;
  trends?: TrendsOutput;
  anomalies?: AnomaliesOutput;
  text?: TextOutput;
  segments?: SegmentsOutput;
  /** Specialists that failed, with the reason. */
  failed: Array<{ agent: string; reason: string }>;
}

export const Insight = z.object({
  severity: z.enum(['info', 'warning', 'high']),
  /** The specialist whose result it comes from. */
  source: z.enum(['profile', 'trends', 'anomalies', 'text', 'segments', 'analysis']),
  title: z.string(),
  detail: z.string(),
});
export type Insight = z.infer<typeof Insight>;
