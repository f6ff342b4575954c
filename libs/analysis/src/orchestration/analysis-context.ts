import type { OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '@app/datasets';
import type { DatasetScansRepository } from '../repositories/dataset-scans.repository';
import type { SeriesScansRepository } from '../repositories/series-scans.repository';

/** Anomalies reported per column when the request does not say (API `maxAnomalies`). */
export const DEFAULT_MAX_ANOMALIES = 20;
/** Most anomalies per column a request may ask for. */
export const MAX_ANOMALIES_LIMIT = 100;

/**
 * What an agent's tools may use, passed in the SDK's `RunContext.context` (never in
 * globals): the organization, the dataset under analysis, and the named read-only
 * statements on its rows (read-only, with a statement timeout, each in a transaction of
 * its own; `toolScans` over `ToolQueryRepository.readOnly`).
 */
export interface AnalysisContext {
  organizationId: OrganizationId;
  dataset: Pick<
    DatasetEntity,
    | 'id'
    | 'organizationId'
    | 'name'
    | 'columns'
    | 'profile'
    | 'typeChanges'
    | 'rowCount'
    | 'tableName'
  >;
  /** The statements of the anomaly scan, the segment tests, the text samples. */
  scans: DatasetScansRepository;
  /** The statements of the series tools. */
  series: SeriesScansRepository;
  /** Most anomalies reported per column (default {@link DEFAULT_MAX_ANOMALIES}). */
  maxAnomalies?: number;
}

/**
 * Characters of a profiled top value an analysis reads: enough to tell a label from prose
 * (labels are at most 100), far less than a cell may hold (megabytes).
 */
export const TOP_VALUE_CHARACTERS = 1000;

/**
 * The context with its dataset's profiled top values cut to {@link TOP_VALUE_CHARACTERS}:
 * a column of 1 MiB cells profiles to top values of 1 MiB each, and every agent that
 * touched them (the planner's question focus, the SDK's run state) paid for their size.
 */
export function withBoundedProfile(context: AnalysisContext): AnalysisContext {
  const cut = (value: number | boolean | string) =>
    typeof value === 'string' && value.length > TOP_VALUE_CHARACTERS
      ? value.slice(0, TOP_VALUE_CHARACTERS)
      : value;
  return {
    ...context,
    dataset: {
      ...context.dataset,
      profile: context.dataset.profile.map((column) => ({
        ...column,
        topValues: column.topValues.map((top) => ({ ...top, value: cut(top.value) })),
      })),
    },
  };
}
