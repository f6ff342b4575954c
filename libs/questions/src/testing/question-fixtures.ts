import type { DatasetEntity, DatasetsService } from '@app/datasets';
import { ProblemException } from '@app/common';
import { type OrganizationId, organizationIdOf } from '@app/tenancy';

/** The organization the question specs ask for. */
export const ORG = organizationIdOf('11111111-1111-4111-8111-111111111111');

/** A small weather dataset of ORG, with the profile the planner reads. */
export const dataset = {
  id: '22222222-2222-4222-8222-222222222222',
  organizationId: ORG,
  name: 'seattle-weather',
  columns: [
    { name: 'date', column: 'c1', type: 'date' },
    { name: 'temp_max', column: 'c2', type: 'number' },
    { name: 'weather', column: 'c3', type: 'string' },
  ],
  profile: [
    { name: 'date', type: 'date', distinctCount: 1461 },
    { name: 'temp_max', type: 'number', distinctCount: 67 },
    { name: 'weather', type: 'string', distinctCount: 5 },
  ],
} as unknown as DatasetEntity;

/** The fixture dataset of ORG; any other is a 404, as DatasetsService answers. */
export const datasets = {
  get: (organizationId: OrganizationId, id: string) =>
    organizationId === ORG && id === dataset.id
      ? Promise.resolve(dataset)
      : Promise.reject(new ProblemException(404, 'not-found', `There is no dataset ${id}`)),
} as unknown as DatasetsService;
