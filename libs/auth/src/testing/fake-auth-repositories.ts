import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import type { ApiKeyEntity } from '../entities/api-key.entity';
import type { RefreshTokenEntity } from '../entities/refresh-token.entity';
import type { UserEntity } from '../entities/user.entity';
import type { ApiKeysRepository } from '../repositories/api-keys.repository';
import type {
  RefreshOutcome,
  RefreshTokensRepository,
} from '../repositories/refresh-tokens.repository';
import type { UsersRepository } from '../repositories/users.repository';

// The auth repositories in memory, keeping their rules, for the services' specs (AuthFakes in
// ./fake-auth builds the services over them); and valid rows for them.
let made = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++made).padStart(12, '0')}`;
const nextTime = () => new Date(Date.UTC(2026, 0, 1, 0, 0, made));

/** The newest-first keyset page of `rows` the real repositories answer (limit + 1 rows). */
function newestFirst<T extends { id: string; createdAt: Date }>(
  rows: T[],
  limit: number,
  after: KeysetPosition | undefined,
): Array<Keyed<T>> {
  return rows
    .map((item) => ({
      item,
      position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
    }))
    .sort((a, b) => (a.position.time < b.position.time ? 1 : -1))
    .filter(({ position }) => after === undefined || position.time < after.time)
    .slice(0, limit + 1);
}

/** What a fake repository was asked, to check which organization a service passes. */
export interface Call {
  method: string;
  organizationId: OrganizationId | undefined;
}

export function userEntity(
  organizationId: OrganizationId,
  fields: Partial<UserEntity> = {},
): UserEntity {
  const id = nextId();
  return {
    id,
    organizationId,
    email: `user-${made}@example.com`,
    passwordHash: 'not-a-hash',
    role: 'analyst',
    createdAt: nextTime(),
    updatedAt: nextTime(),
    ...fields,
  };
}

export function apiKeyEntity(
  organizationId: OrganizationId,
  fields: Partial<ApiKeyEntity> = {},
): ApiKeyEntity {
  const id = nextId();
  return {
    id,
    organizationId,
    name: `key ${made}`,
    role: 'analyst',
    prefix: `prefix${made}`,
    keyHash: `hash-${made}`,
    expiresAt: null,
    revokedAt: null,
    rotatedAt: null,
    lastUsedAt: null,
    createdAt: nextTime(),
    ...fields,
  };
}

/** UsersRepository in memory, keeping its rule: nothing is found or changed across organizations. */
export class FakeUsersRepository {
  readonly calls: Call[] = [];
  /** What the next `insert` rejects with (the unique index losing a race). */
  insertFails: Error | undefined;

  constructor(readonly rows: UserEntity[] = []) {}

  private own(organizationId: OrganizationId, id: string): UserEntity | undefined {
    return this.rows.find((row) => row.organizationId === organizationId && row.id === id);
  }

  /** A copy, as a database read is: later changes to the row do not show in it. */
  private read(organizationId: OrganizationId, id: string): Promise<UserEntity | null> {
    const row = this.own(organizationId, id);
    return Promise.resolve(row === undefined ? null : { ...row });
  }

  findByEmailForAuthentication(email: string): Promise<UserEntity | null> {
    this.calls.push({ method: 'findByEmailForAuthentication', organizationId: undefined });
    return Promise.resolve(this.rows.find((row) => row.email === email) ?? null);
  }

  findForAuthentication(organizationId: OrganizationId, id: string): Promise<UserEntity | null> {
    this.calls.push({ method: 'findForAuthentication', organizationId });
    return this.read(organizationId, id);
  }

  existsByEmail(email: string): Promise<boolean> {
    return Promise.resolve(this.rows.some((row) => row.email === email));
  }

  insert(
    organizationId: OrganizationId,
    user: Pick<UserEntity, 'email' | 'passwordHash' | 'role'>,
  ): Promise<UserEntity> {
    this.calls.push({ method: 'insert', organizationId });
    if (this.insertFails !== undefined) return Promise.reject(this.insertFails);
    const row = userEntity(organizationId, user);
    this.rows.push(row);
    return Promise.resolve(row);
  }

  findById(organizationId: OrganizationId, id: string): Promise<UserEntity | null> {
    this.calls.push({ method: 'findById', organizationId });
    return this.read(organizationId, id);
  }

  list(organizationId: OrganizationId, limit: number, after: KeysetPosition | undefined) {
    this.calls.push({ method: 'list', organizationId });
    const own = this.rows.filter((row) => row.organizationId === organizationId);
    return Promise.resolve(newestFirst(own, limit, after));
  }

  update(
    organizationId: OrganizationId,
    id: string,
    changes: Partial<Pick<UserEntity, 'role' | 'passwordHash'>>,
  ): Promise<UserEntity | null> {
    this.calls.push({ method: 'update', organizationId });
    const row = this.own(organizationId, id);
    if (row !== undefined) Object.assign(row, changes);
    return Promise.resolve(row ?? null);
  }

  delete(organizationId: OrganizationId, id: string): Promise<boolean> {
    this.calls.push({ method: 'delete', organizationId });
    const row = this.own(organizationId, id);
    if (row !== undefined) this.rows.splice(this.rows.indexOf(row), 1);
    return Promise.resolve(row !== undefined);
  }

  asRepository(): UsersRepository {
    return this as unknown as UsersRepository;
  }
}

/** ApiKeysRepository in memory, keeping its rules: scoped by organization; revoked keys do not rotate. */
export class FakeApiKeysRepository {
  readonly calls: Call[] = [];
  readonly touched: Array<{ id: string; at: Date }> = [];
  /** The transaction each insert was made in (undefined: none). */
  readonly insertedIn: unknown[] = [];

  constructor(readonly rows: ApiKeyEntity[] = []) {}

  private own(organizationId: OrganizationId, id: string): ApiKeyEntity | undefined {
    return this.rows.find((row) => row.organizationId === organizationId && row.id === id);
  }

  findByPrefixForAuthentication(prefix: string): Promise<ApiKeyEntity | null> {
    this.calls.push({ method: 'findByPrefixForAuthentication', organizationId: undefined });
    return Promise.resolve(this.rows.find((row) => row.prefix === prefix) ?? null);
  }

  insert(
    organizationId: OrganizationId,
    key: Pick<ApiKeyEntity, 'name' | 'role' | 'prefix' | 'keyHash' | 'expiresAt'>,
    manager?: unknown,
  ): Promise<ApiKeyEntity> {
    this.calls.push({ method: 'insert', organizationId });
    this.insertedIn.push(manager);
    const row = apiKeyEntity(organizationId, key);
    this.rows.push(row);
    return Promise.resolve(row);
  }

  findById(organizationId: OrganizationId, id: string): Promise<ApiKeyEntity | null> {
    this.calls.push({ method: 'findById', organizationId });
    return Promise.resolve(this.own(organizationId, id) ?? null);
  }

  list(organizationId: OrganizationId, limit: number, after: KeysetPosition | undefined) {
    this.calls.push({ method: 'list', organizationId });
    const own = this.rows.filter((row) => row.organizationId === organizationId);
    return Promise.resolve(newestFirst(own, limit, after));
  }

  rotate(organizationId: OrganizationId, id: string, prefix: string, keyHash: string) {
    this.calls.push({ method: 'rotate', organizationId });
    const key = this.own(organizationId, id);
    if (key === undefined || key.revokedAt !== null) return Promise.resolve(null);
    const previousHash = key.keyHash;
    Object.assign(key, { prefix, keyHash, rotatedAt: new Date() });
    return Promise.resolve({ key, previousHash });
  }

  revoke(organizationId: OrganizationId, id: string): Promise<ApiKeyEntity | null> {
    this.calls.push({ method: 'revoke', organizationId });
    const key = this.own(organizationId, id);
    if (key !== undefined && key.revokedAt === null) key.revokedAt = new Date();
    return Promise.resolve(key ?? null);
  }

  touchLastUsed(id: string, at: Date): Promise<void> {
    this.touched.push({ id, at });
    return Promise.resolve();
  }

  asRepository(): ApiKeysRepository {
    return this as unknown as ApiKeysRepository;
  }
}

/**
 * RefreshTokensRepository in memory, keeping its rules: a token is used once, and a used or
 * revoked token presented again revokes its whole family.
 */
export class FakeRefreshTokensRepository {
  readonly rows: RefreshTokenEntity[] = [];
  /** The transaction each insert was made in (undefined: none). */
  readonly insertedIn: unknown[] = [];

  insert(
    token: Omit<RefreshTokenEntity, 'createdAt' | 'usedAt' | 'revokedAt' | 'user'>,
    manager?: unknown,
  ): Promise<void> {
    this.insertedIn.push(manager);
    this.rows.push({ ...token, createdAt: new Date(), usedAt: null, revokedAt: null });
    return Promise.resolve();
  }

  async consume(
    id: string,
    matches: (token: RefreshTokenEntity) => boolean,
    issueNext: (previous: RefreshTokenEntity, manager: never) => Promise<void>,
  ): Promise<RefreshOutcome> {
    const token = this.rows.find((row) => row.id === id);
    if (token === undefined || !matches(token)) return { kind: 'invalid' };
    if (token.usedAt !== null || token.revokedAt !== null) {
      for (const row of this.rows)
        if (row.familyId === token.familyId) row.revokedAt ??= new Date();
      return { kind: 'reused', previous: token };
    }
    if (token.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
    token.usedAt = new Date();
    await issueNext(token, 'the transaction' as never);
    return { kind: 'rotated', previous: token };
  }

  revokeFamilyOf(
    id: string,
    matches: (token: RefreshTokenEntity) => boolean,
  ): Promise<{ token: RefreshTokenEntity; revoked: number } | null> {
    const token = this.rows.find((row) => row.id === id);
    if (token === undefined || !matches(token)) return Promise.resolve(null);
    let revoked = 0;
    for (const row of this.rows) {
      if (row.familyId !== token.familyId || row.revokedAt !== null) continue;
      row.revokedAt = new Date();
      revoked += 1;
    }
    return Promise.resolve({ token, revoked });
  }

  revokeAllForUser(userId: string): Promise<void> {
    for (const row of this.rows) if (row.userId === userId) row.revokedAt ??= new Date();
    return Promise.resolve();
  }

  asRepository(): RefreshTokensRepository {
    return this as unknown as RefreshTokensRepository;
  }
}
