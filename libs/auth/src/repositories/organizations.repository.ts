import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { OrganizationEntity } from '../entities/organization.entity';

@Injectable()
export class OrganizationsRepository {
  constructor(
    @InjectRepository(OrganizationEntity)
    private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  async count(): Promise<number> {
    return this.organizations.count();
  }

  async findById(id: string): Promise<OrganizationEntity | null> {
    return this.organizations.findOneBy({ id });
  }

  async findOldest(manager?: EntityManager): Promise<OrganizationEntity | null> {
    const repository = manager?.getRepository(OrganizationEntity) ?? this.organizations;
    return repository.findOne({ where: {}, order: { createdAt: 'ASC' } });
  }

  async insert(name: string, manager?: EntityManager): Promise<OrganizationEntity> {
    const repository = manager?.getRepository(OrganizationEntity) ?? this.organizations;
    return repository.save(repository.create({ name }));
  }
}
