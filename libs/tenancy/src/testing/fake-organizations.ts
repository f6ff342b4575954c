import { organizationIdOf } from '@app/access';
import type { UnitOfWork } from '@app/database';
import type { OrganizationEntity } from '../entities/organization.entity';
import type { OrganizationsRepository } from '../repositories/organizations.repository';

/** OrganizationsRepository in memory; a "transaction" is a token recorded with each write. */
export class FakeOrganizationsRepository {
  readonly rows: OrganizationEntity[] = [];
  /** The unit of work each insert was made in (undefined: none). */
  readonly insertedIn: unknown[] = [];
  /** The advisory lock of each locked transaction. */
  readonly locks: number[] = [];

  findById(id: string): Promise<OrganizationEntity | null> {
    return Promise.resolve(this.rows.find((row) => row.id === id) ?? null);
  }

  findOldest(): Promise<OrganizationEntity | null> {
    const sorted = [...this.rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return Promise.resolve(sorted[0] ?? null);
  }

  insert(name: string, work?: UnitOfWork): Promise<OrganizationEntity> {
    this.insertedIn.push(work);
    const n = this.rows.length + 1;
    const row = {
      id: organizationIdOf(`00000000-0000-4000-9000-${String(n).padStart(12, '0')}`),
      name,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 60 - n)),
    };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return work('the transaction' as unknown as UnitOfWork);
  }

  inLockedTransaction<T>(lock: number, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    this.locks.push(lock);
    return this.inTransaction(work);
  }

  asRepository(): OrganizationsRepository {
    return this as unknown as OrganizationsRepository;
  }
}
