import type { OrganizationId } from '@app/tenancy';
import type { MetricFilter } from './metric-queries';

/**
 * The WHERE of a metrics filter, bound to the organization as `$1`: each given field
 * narrows, each as a parameter.
 */
export function whereClause(
  organizationId: OrganizationId,
  filter: MetricFilter,
): { where: string[]; values: unknown[] } {
  const values: unknown[] = [organizationId];
  const where = ['organization_id = $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    where.push(condition(`$${values.length}`));
  };
  if (filter.name !== undefined) add((p) => `name = ${p}`, filter.name);
  if (filter.datasetId !== undefined) add((p) => `dataset_id = ${p}::uuid`, filter.datasetId);
  if (filter.analysisId !== undefined) add((p) => `analysis_id = ${p}::uuid`, filter.analysisId);
  if (filter.source !== undefined) add((p) => `source = ${p}`, filter.source);
  if (filter.from !== undefined)
    add((p) => `observed_at >= ${p}::timestamptz`, filter.from.toISOString());
  if (filter.to !== undefined)
    add((p) => `observed_at < ${p}::timestamptz`, filter.to.toISOString());
  if (Object.keys(filter.dimensions).length > 0) {
    add((p) => `dimensions @> ${p}::jsonb`, JSON.stringify(filter.dimensions));
  }
  return { where, values };
}
