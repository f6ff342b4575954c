import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';

export type RefreshOutcome =
  | { kind: 'rotated'; previous: RefreshTokenEntity }
  | { kind: 'reused'; previous: RefreshTokenEntity }
  | { kind: 'invalid' };

/** The token `id`, its row locked until the transaction of `repository` ends. */
function lockedToken(
  repository: Repository<RefreshTokenEntity>,
  id: string,
): Promise<RefreshTokenEntity | null> {
  return repository
    .createQueryBuilder('token')
    .setLock('pessimistic_write')
    .where('token.id = :id', { id })
    .getOne();
}

@Injectable()
export class RefreshTokensRepository {
  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
  ) {}

  async insert(
    token: Omit<RefreshTokenEntity, 'createdAt' | 'usedAt' | 'revokedAt' | 'user'>,
    manager?: EntityManager,
  ): Promise<void> {
    const repository = manager?.getRepository(RefreshTokenEntity) ?? this.tokens;
    await repository.insert({ ...token, usedAt: null, revokedAt: null });
  }

  /**
   * Uses a refresh token once, in one transaction with the issuing of its
   * successor (`issueNext`). A token already used (or revoked) revokes its
   * whole family: someone else holds a copy.
   */
  async consume(
    id: string,
    matches: (token: RefreshTokenEntity) => boolean,
    issueNext: (previous: RefreshTokenEntity, manager: EntityManager) => Promise<void>,
  ): Promise<RefreshOutcome> {
    return this.tokens.manager.transaction(async (manager) => {
      const repository = manager.getRepository(RefreshTokenEntity);
      const token = await lockedToken(repository, id);
      if (token === null || !matches(token)) return { kind: 'invalid' };
      if (token.usedAt !== null || token.revokedAt !== null) {
        await repository.update(
          { familyId: token.familyId, revokedAt: IsNull() },
          { revokedAt: new Date() },
        );
        return { kind: 'reused', previous: token };
      }
      if (token.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
      await repository.update({ id }, { usedAt: new Date() });
      await issueNext(token, manager);
      return { kind: 'rotated', previous: token };
    });
  }

  /**
   * Revokes every live token of the family of token `id` when `matches` accepts it (a
   * logout); used and revoked tokens count too, as reuse would revoke the family anyway.
   * The token's row is locked as `consume` locks it, so a refresh in flight either sees the
   * family revoked or has committed its successor, which the revocation then includes.
   * Null when no such token matches.
   */
  async revokeFamilyOf(
    id: string,
    matches: (token: RefreshTokenEntity) => boolean,
  ): Promise<{ token: RefreshTokenEntity; revoked: number } | null> {
    return this.tokens.manager.transaction(async (manager) => {
      const repository = manager.getRepository(RefreshTokenEntity);
      const token = await lockedToken(repository, id);
      if (token === null || !matches(token)) return null;
      const result = await repository.update(
        { familyId: token.familyId, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      return { token, revoked: result.affected ?? 0 };
    });
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
