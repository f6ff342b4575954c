import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { OrganizationsRepository } from '../repositories/organizations.repository';
import type { OrganizationId } from '@app/access';

// Any constant: serialises creating the first organization across replicas (and the CLI).
const FIRST_ORGANIZATION_LOCK = 7_431_002;

/** An organization as other modules see it. */
export interface Organization {
  id: OrganizationId;
  name: string;
  createdAt: Date;
}

/**
 * Organizations for the modules that create or look them up (auth's bootstrap, the CLI).
 * `work`: the caller's transaction, when the organization is written with other rows.
 */
@Injectable()
export class OrganizationsService {
  constructor(private readonly organizations: OrganizationsRepository) {}

  async findById(id: OrganizationId): Promise<Organization | undefined> {
    return toOrganization(await this.organizations.findById(id));
  }

  /** The oldest organization (the one first start made), if any. */
  async findOldest(work?: UnitOfWork): Promise<Organization | undefined> {
    return toOrganization(await this.organizations.findOldest(work));
  }

  /** Runs `work` in one transaction, handed on to {@link create} and other modules' writes. */
  async inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.organizations.inTransaction(work);
  }

  /**
   * {@link inTransaction}, one process at a time: for the code that creates the first
   * organization when there is none, so two processes starting together make one.
   */
  async whileCreatingTheFirst<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.organizations.inLockedTransaction(FIRST_ORGANIZATION_LOCK, work);
  }

  async create(name: string, work?: UnitOfWork): Promise<Organization> {
    const created = await this.organizations.insert(name, work);
    return { id: created.id, name: created.name, createdAt: created.createdAt };
  }
}

function toOrganization(
  row: { id: OrganizationId; name: string; createdAt: Date } | null,
): Organization | undefined {
  return row === null ? undefined : { id: row.id, name: row.name, createdAt: row.createdAt };
}
