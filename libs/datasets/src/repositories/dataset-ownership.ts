import type { OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '../entities/dataset.entity';

/**
 * The dataset, once it is known to be the organization's: a rows table is named by its
 * dataset alone, so the statements on it check the owner here rather than in SQL. A
 * mismatch is a caller's bug (a dataset read for one organization, used for another).
 */
export function ownedBy<T extends Pick<DatasetEntity, 'organizationId'>>(
  organizationId: OrganizationId,
  dataset: T,
): T {
  if (dataset.organizationId !== organizationId) {
    throw new Error('A dataset of another organization reached its rows');
  }
  return dataset;
}
