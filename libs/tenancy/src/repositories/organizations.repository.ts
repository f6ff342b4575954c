import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OrganizationEntity } from '../entities/organization.entity';

/** The organizations themselves: the one table that is not any organization's data. */
@Injectable()
export class OrganizationsRepository {
  constructor(
    @InjectRepository(OrganizationEntity)
    private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  async findById(id: string): Promise<OrganizationEntity | null> {
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
}
