import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import {
  decodeCursor,
  type Page,
  type PageQueryDto,
  ProblemException,
  type RequestMeta,
  toPage,
  uniqueViolationOf,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { type CreateUserDto, mapUser, type UpdateUserDto, type UserDto } from '../dtos/user.dto';
import { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { UsersRepository } from '../repositories/users.repository';
import { actorOf } from './api-keys.service';
import { hashPassword } from './credentials';
import { PrincipalCacheService } from './principal-cache.service';

function notFound(id: string): ProblemException {
  return new ProblemException(404, 'not-found', `User ${id} was not found`);
}

function emailTaken(email: string): ProblemException {
  return new ProblemException(409, 'conflict', `A user with email ${email} already exists`, [
    { field: 'email', message: 'email is already taken' },
  ]);
}

/** The unique index on `users.email` (migrations/…-AuthAndAudit.ts). */
const EMAIL_UNIQUE = 'users_email_unique';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly cache: PrincipalCacheService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, dto: CreateUserDto, meta: RequestMeta): Promise<UserDto> {
    const email = dto.email.toLowerCase();
    if (await this.users.existsByEmail(email)) throw emailTaken(email);
    const passwordHash = await hashPassword(dto.password);
    // The check above is only a shortcut: two requests can pass it at once, and the index decides.
    const user = await this.users
      .insert(actor.organizationId, { email, role: dto.role, passwordHash })
      .catch((error: unknown) => {
        throw uniqueViolationOf(error) === EMAIL_UNIQUE ? emailTaken(email) : error;
      });
    await this.audit.record({
      actor: actorOf(actor),
      action: 'user.created',
      outcome: 'success',
      target: { type: 'user', id: user.id },
      meta,
      details: { role: dto.role },
    });
    return mapUser(user);
  }

  async list(organizationId: OrganizationId, query: PageQueryDto): Promise<Page<UserDto>> {
    const rows = await this.users.list(organizationId, query.limit, decodeCursor(query.cursor));
    return toPage(rows, query.limit, mapUser);
  }

  async get(organizationId: OrganizationId, id: string): Promise<UserDto> {
    const user = await this.users.findById(organizationId, id);
    if (user === null) throw notFound(id);
    return mapUser(user);
  }

  async update(
    actor: Principal,
    id: string,
    dto: UpdateUserDto,
    meta: RequestMeta,
  ): Promise<UserDto> {
    const before = await this.users.findById(actor.organizationId, id);
    if (before === null) throw notFound(id);
    const changes = {
      ...(dto.role !== undefined ? { role: dto.role } : {}),
      ...(dto.password !== undefined ? { passwordHash: await hashPassword(dto.password) } : {}),
    };
    const user =
      Object.keys(changes).length === 0
        ? before
        : await this.users.update(actor.organizationId, id, changes);
    if (user === null) throw notFound(id);
    await this.cache.evictUser(id);
    if (dto.password !== undefined) await this.refreshTokens.revokeAllForUser(id);
    if (dto.role !== undefined && dto.role !== before.role) {
      await this.audit.record({
        actor: actorOf(actor),
        action: 'user.role-changed',
        outcome: 'success',
        target: { type: 'user', id },
        meta,
        details: { from: before.role, to: dto.role },
      });
    }
    if (dto.password !== undefined) {
      await this.audit.record({
        actor: actorOf(actor),
        action: 'user.password-changed',
        outcome: 'success',
        target: { type: 'user', id },
        meta,
      });
    }
    return mapUser(user);
  }

  async delete(actor: Principal, id: string, meta: RequestMeta): Promise<void> {
    if (!(await this.users.delete(actor.organizationId, id))) throw notFound(id);
    await this.cache.evictUser(id);
    await this.audit.record({
      actor: actorOf(actor),
      action: 'user.deleted',
      outcome: 'success',
      target: { type: 'user', id },
      meta,
    });
  }
}
