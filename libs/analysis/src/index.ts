export { type AnalysisContext } from './orchestration/analysis-context';
export {
  readOnlyQuery,
  readOnlyScans,
  type ToolQuery,
  toolScans,
} from './repositories/tool-query.repository';
export {
  profileAgent,
  type ProfileOutput,
  qualityIssues,
  QUALITY_RULES,
} from './agents/profile-agent';
export { trendOf, trendsAgent, type TrendsOutput, TREND_ALPHA } from './agents/trends-agent';
export { mannKendall, normalCdf } from './statistics/normal';
export {
  anomaliesAgent,
  anomaliesOf,
  type AnomaliesOutput,
  IQR_FENCE,
  ROBUST_Z_LIMIT,
} from './agents/anomalies-agent';
export {
  TEXT_CELL_CHARACTERS,
  TEXT_COLUMN_CHARACTERS,
  TEXT_SAMPLE_VALUES,
  TEXT_TOTAL_CHARACTERS,
  textAgent,
  type TextOutput,
  textSample,
} from './agents/text-agent';
export {
  SEGMENT_SAMPLE_ROWS,
  segmentsAgent,
  segmentsOf,
  type SegmentsOutput,
} from './agents/segments-agent';
export { analyseText, SENTIMENT_LABEL_THRESHOLD, type TextDocument } from './text/text-analysis';
export { composeSummary, summaryAgent, type SummaryOutput } from './agents/summary-agent';
export { type SpecialistResults } from './agents/summary-inputs';
export {
  AGENTS_SDK_VERSION,
  type AgentRun,
  type AnalysisEvent,
  type AnalysisOutcome,
  type AnalysisRequest,
  runAnalysis,
} from './orchestration/orchestrator';
export { AnalysisCoreModule, AnalysisJobsModule, AnalysisModule } from './analysis.module';
export { AnalysisEntity } from './entities/analysis.entity';
export { AnalysisRunJob } from './jobs/analysis-run.job';
