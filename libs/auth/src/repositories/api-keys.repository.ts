import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import type { Role } from '@app/access';

export interface NewApiKey {
  name: string;
  role: Role;
  prefix: string;
  keyHash: string;
  expiresAt: Date | null;
}

/** API keys. Every method but the authentication look-up is scoped to one organization. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  /** Authentication: the key names its own organization, so this look-up is by design unscoped. */
  async findByPrefixForAuthentication(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ prefix });
  }

  async insert(
    organizationId: OrganizationId,
    key: NewApiKey,
    manager?: EntityManager,
  ): Promise<ApiKeyEntity> {
    const repository = manager?.getRepository(ApiKeyEntity) ?? this.keys;
    return repository.save(repository.create({ ...key, organizationId }));
  }

  async findById(organizationId: OrganizationId, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ organizationId, id });
  }

  /** Newest first, keyset-paginated; fetches `limit + 1` rows. */
  async list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<ApiKeyEntity>>> {
    const query = this.keys
      .createQueryBuilder('key')
      .where('key.organization_id = :organizationId', { organizationId });
    return newestFirstPage(query, 'key', limit, after);
  }

  /** Replaces the secret; returns the old hash (to evict from caches), or null if not found or revoked. */
  async rotate(
    organizationId: OrganizationId,
    id: string,
    prefix: string,
    keyHash: string,
  ): Promise<{ key: ApiKeyEntity; previousHash: string } | null> {
    return this.keys.manager.transaction(async (manager) => {
      const key = await manager
        .getRepository(ApiKeyEntity)
        .createQueryBuilder('key')
        .setLock('pessimistic_write')
        .where(
          'key.organization_id = :organizationId AND key.id = :id AND key.revoked_at IS NULL',
          { organizationId, id },
        )
        .getOne();
      if (key === null) return null;
      const previousHash = key.keyHash;
      key.prefix = prefix;
      key.keyHash = keyHash;
      key.rotatedAt = new Date();
      return { key: await manager.save(key), previousHash };
    });
  }

  /** Marks the key revoked; returns it (with its hash, to evict from caches), or null if not found. */
  async revoke(organizationId: OrganizationId, id: string): Promise<ApiKeyEntity | null> {
    const key = await this.findById(organizationId, id);
    if (key === null) return null;
    if (key.revokedAt === null) {
      key.revokedAt = new Date();
      await this.keys.update({ organizationId, id }, { revokedAt: key.revokedAt });
    }
    return key;
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }
}
