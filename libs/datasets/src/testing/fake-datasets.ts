import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import type { AuditRecord, AuditService } from '@app/audit';
import type { Keyed, KeysetPosition } from '@app/common';
import type { DatasetEntity } from '../entities/dataset.entity';
import type { DatasetSummary, DatasetsRepository } from '../repositories/datasets.repository';
import { DatasetsService } from '../services/datasets.service';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

export const analystOf = (organizationId: OrganizationId): Principal => ({
  kind: 'apiKey',
  id: `key-of-${organizationId.slice(0, 4)}`,
  organizationId,
  role: 'analyst',
});

let made = 0;

/** A valid dataset entity of `organizationId` (no table behind it: services' specs only). */
export function datasetEntity(
  organizationId: OrganizationId,
  fields: Partial<DatasetEntity> = {},
): DatasetEntity {
  made += 1;
  const id = fields.id ?? `00000000-0000-4000-8000-${String(made).padStart(12, '0')}`;
  return {
    id,
    organizationId,
    name: `dataset ${made}`,
    status: 'ready',
    tableName: `d_${id.replace(/-/g, '')}`,
    rowCount: 3,
    byteSize: 42,
    delimiter: ',',
    hasHeader: true,
    columns: [
      { name: 'city', column: 'city', type: 'string' },
      { name: 'n', column: 'n', type: 'integer' },
    ],
    profile: [],
    typeChanges: [],
    createdBy: 'key-1',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, made)),
    ...fields,
  };
}

/**
 * DatasetsRepository over a list in memory, keeping its one rule: nothing is found,
 * listed or deleted across organizations. Records what it was asked, to check which
 * organization a service passes.
 */
export class FakeDatasetsRepository {
  readonly calls: Array<{ method: string; organizationId: OrganizationId }> = [];
  /** What the next `delete` answers regardless (a concurrent delete won the race). */
  deleteLoses = false;

  constructor(readonly rows: DatasetEntity[] = []) {}

  find(organizationId: OrganizationId, id: string): Promise<DatasetEntity | null> {
    this.calls.push({ method: 'find', organizationId });
    const found = this.rows.find((row) => row.organizationId === organizationId && row.id === id);
    return Promise.resolve(found ?? null);
  }

  list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<DatasetSummary>>> {
    this.calls.push({ method: 'list', organizationId });
    const keyed = this.rows
      .filter((row) => row.organizationId === organizationId)
      .map(({ profile: _profile, ...item }) => ({
        item,
        position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
      }))
      .sort((a, b) => (a.position.time < b.position.time ? 1 : -1))
      .filter(({ position }) => after === undefined || position.time < after.time);
    return Promise.resolve(keyed.slice(0, limit + 1));
  }

  existingIds(organizationId: OrganizationId, ids: readonly string[]): Promise<Set<string>> {
    this.calls.push({ method: 'existingIds', organizationId });
    const own = this.rows.filter((row) => row.organizationId === organizationId);
    return Promise.resolve(new Set(own.map((row) => row.id).filter((id) => ids.includes(id))));
  }

  delete(organizationId: OrganizationId, dataset: Pick<DatasetEntity, 'id'>): Promise<boolean> {
    this.calls.push({ method: 'delete', organizationId });
    const index = this.rows.findIndex(
      (row) => row.organizationId === organizationId && row.id === dataset.id,
    );
    if (index < 0 || this.deleteLoses) return Promise.resolve(false);
    this.rows.splice(index, 1);
    return Promise.resolve(true);
  }

  /** The transaction each insert was made in, in order. */
  readonly insertedIn: unknown[] = [];

  insert(
    organizationId: OrganizationId,
    dataset: Omit<DatasetEntity, 'organizationId' | 'createdAt'>,
    work: unknown,
  ): Promise<DatasetEntity> {
    this.calls.push({ method: 'insert', organizationId });
    this.insertedIn.push(work);
    const row = { ...dataset, organizationId, createdAt: new Date() };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  /** As the services' constructors take it (the fake has its public methods, not its fields). */
  asRepository(): DatasetsRepository {
    return this as unknown as DatasetsRepository;
  }
}

/** AuditService keeping its records in memory. */
export class FakeAudit {
  readonly records: AuditRecord[] = [];

  record(record: AuditRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }

  asService(): AuditService {
    return this as unknown as AuditService;
  }
}

/** A real DatasetsService over these datasets in memory (for services that depend on it). */
export function datasetsServiceOver(datasets: DatasetEntity[]): DatasetsService {
  return new DatasetsService(
    new FakeDatasetsRepository(datasets).asRepository(),
    new FakeAudit().asService(),
  );
}
