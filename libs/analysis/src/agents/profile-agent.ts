import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { failingTool } from '../tools/failing-tool';

/** Thresholds of the data-quality checks (a share of the column's rows). */
export const QUALITY_RULES = {
  /** Nulls from this share on are a problem; from `highNullShare` a serious one. */
  nullShare: 0.2,
  highNullShare: 0.5,
  /** Distinct non-null values from this share of them on, with at least `idMinRows`: an id. */
  idDistinctShare: 0.98,
  idMinRows: 20,
} as const;

const Severity = z.enum(['info', 'warning', 'high']);

export const QualityIssue = z.object({
  column: z.string(),
  kind: z.enum(['all_null', 'high_null_share', 'constant', 'suspected_id', 'mixed_types']),
  severity: Severity,
  detail: z.string(),
  /** The measured number behind the issue (a share, a count), from the profile. */
  value: z.number().nullable(),
});
export type QualityIssue = z.infer<typeof QualityIssue>;

export const ColumnSummary = z.object({
  column: z.string(),
  type: z.string(),
  count: z.number(),
  nullShare: z.number(),
  distinctCount: z.number(),
});

export const ProfileOutput = z.object({
  rowCount: z.number().nullable(),
  columns: z.array(ColumnSummary),
  issues: z.array(QualityIssue),
  /** The tool call that found the issues (provenance of the metrics written from them). */
  issuesToolCallId: z.string().nullable(),
});
export type ProfileOutput = z.infer<typeof ProfileOutput>;

function context(runContext: RunContext<AnalysisContext> | undefined): AnalysisContext {
  if (runContext === undefined) throw new Error('profile tools need the analysis context');
  return runContext.context;
}

/** The data-quality findings of a stored profile (pure: the tool below runs it). */
export function qualityIssues(dataset: AnalysisContext['dataset']): QualityIssue[] {
  const issues: QualityIssue[] = [];
  for (const profile of dataset.profile) {
    const nonNull = profile.count - profile.nullCount;
    const nullShare = profile.count === 0 ? 0 : profile.nullCount / profile.count;
    if (profile.count > 0 && nonNull === 0) {
      issues.push({
        column: profile.name,
        kind: 'all_null',
        severity: 'high',
        detail: 'every value is missing',
        value: 1,
      });
      continue;
    }
    if (nullShare >= QUALITY_RULES.nullShare) {
      issues.push({
        column: profile.name,
        kind: 'high_null_share',
        severity: nullShare >= QUALITY_RULES.highNullShare ? 'high' : 'warning',
        detail: `${(nullShare * 100).toFixed(1)} % of the values are missing`,
        value: nullShare,
      });
    }
    if (nonNull > 1 && profile.distinctCount === 1) {
      issues.push({
        column: profile.name,
        kind: 'constant',
        severity: 'warning',
        detail: 'every value is the same: the column carries no information',
        value: profile.distinctCount,
      });
    }
    const idLike = profile.type === 'integer' || profile.type === 'string';
    if (
      idLike &&
      nonNull >= QUALITY_RULES.idMinRows &&
      profile.distinctCount >= QUALITY_RULES.idDistinctShare * nonNull
    ) {
      issues.push({
        column: profile.name,
        kind: 'suspected_id',
        severity: 'info',
        detail: 'almost every value is distinct: an identifier, not a measure to aggregate',
        value: profile.distinctCount / nonNull,
      });
    }
  }
  for (const change of dataset.typeChanges) {
    if (change.to !== 'string' || change.from === 'unknown') continue;
    issues.push({
      column: change.column,
      kind: 'mixed_types',
      severity: 'warning',
      detail: `values of type ${change.from} and others: stored as text from row ${change.rowsBefore + 1} on`,
      value: change.rowsBefore,
    });
  }
  return issues;
}

/** The `profile` specialist: reads the stored profile and flags data-quality problems. */
export function profileAgent(model: string): Agent<AnalysisContext, typeof ProfileOutput> {
  return new Agent<AnalysisContext, typeof ProfileOutput>({
    name: 'profile',
    model,
    instructions:
      'You assess the data quality of a dataset. Read its stored profile, then list its ' +
      'data-quality issues. Report only what the tools return.',
    tools: [
      failingTool({
        name: 'read_profile',
        description:
          'The stored profile of the dataset: per column its type, count, null share and distinct count',
        parameters: z.object({}),
        execute: (_args, runContext?: RunContext<AnalysisContext>) => {
          const { dataset } = context(runContext);
          return JSON.stringify({
            rowCount: dataset.rowCount,
            columns: dataset.profile.map((profile) => ({
              column: profile.name,
              type: profile.type,
              count: profile.count,
              nullShare: profile.count === 0 ? 0 : profile.nullCount / profile.count,
              distinctCount: profile.distinctCount,
            })),
          });
        },
      }),
      failingTool({
        name: 'find_quality_issues',
        description:
          'Data-quality issues: missing values, constant columns, suspected identifiers, mixed types',
        parameters: z.object({}),
        execute: (_args, runContext?: RunContext<AnalysisContext>, details?) =>
          JSON.stringify({
            issues: qualityIssues(context(runContext).dataset),
            issuesToolCallId: details?.toolCall?.callId ?? null,
          }),
      }),
    ],
    outputType: ProfileOutput,
  });
}
