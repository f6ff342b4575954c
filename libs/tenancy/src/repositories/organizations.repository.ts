import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { OrganizationId } from '@app/access';
import { OrganizationEntity } from '../entities/organization.entity';

/** The organizations themselves: the one table that is not any organization's data. */
@Injectable()
export class OrganizationsRepository {
  constructor(
    @InjectRepository(OrganizationEntity)
    private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  async findById(id: OrganizationId): Promise<OrganizationEntity | null> {
    return this.organizations.findOneBy({ id });
  }

  async findOldest(work?: UnitOfWork): Promise<OrganizationEntity | null> {
    const repository = work?.getRepository(OrganizationEntity) ?? this.organizations;
    return repository.findOne({ where: {}, order: { createdAt: 'ASC' } });
  }

  async insert(name: string, work?: UnitOfWork): Promise<OrganizationEntity> {
    const repository = work?.getRepository(OrganizationEntity) ?? this.organizations;
    return repository.save(repository.create({ name }));
  }

  /** Runs `work` in one transaction (an organization written with other modules' rows). */
  async inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.organizations.manager.transaction(work);
  }

  /**
   * {@link inTransaction} holding the transaction-scoped advisory lock `lock`, so that
   * processes doing the same `work` at once (replicas starting together) take turns.
   */
  async inLockedTransaction<T>(lock: number, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.organizations.manager.transaction(async (unit) => {
      await unit.query('SELECT pg_advisory_xact_lock($1)', [lock]);
      return work(unit);
    });
  }
}
