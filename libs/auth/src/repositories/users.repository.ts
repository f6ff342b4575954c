import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { UserEntity } from '../entities/user.entity';
import type { Role } from '@app/access';

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
}

/** People. Every method but the two authentication look-ups is scoped to one organization. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  /** Login names no organization: emails are unique across Sightline. */
  async findByEmailForAuthentication(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  /** A verified access token names its organization; the look-up checks it still holds. */
  async findForAuthentication(
    organizationId: OrganizationId,
    id: string,
  ): Promise<UserEntity | null> {
    return this.users.findOneBy({ id, organizationId });
  }

  async existsByEmail(email: string): Promise<boolean> {
    return this.users.existsBy({ email });
  }

  async insert(
    organizationId: OrganizationId,
    user: NewUser,
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const repository = manager?.getRepository(UserEntity) ?? this.users;
    return repository.save(repository.create({ ...user, organizationId }));
  }

  async findById(organizationId: OrganizationId, id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ organizationId, id });
  }

  async list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<UserEntity>>> {
    const query = this.users
      .createQueryBuilder('user')
      .where('user.organization_id = :organizationId', { organizationId });
    return newestFirstPage(query, 'user', limit, after);
  }

  async update(
    organizationId: OrganizationId,
    id: string,
    changes: Partial<Pick<UserEntity, 'role' | 'passwordHash'>>,
  ): Promise<UserEntity | null> {
    const result = await this.users.update({ organizationId, id }, changes);
    return result.affected === 0 ? null : this.findById(organizationId, id);
  }

  async delete(organizationId: OrganizationId, id: string): Promise<boolean> {
    const result = await this.users.delete({ organizationId, id });
    return (result.affected ?? 0) > 0;
  }
}
