import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import type { AuditRecord, AuditService } from '@app/audit';
import type { RequestMeta } from '@app/common';
import { type AppConfig, loadConfig } from '@app/config';
import type { JwtService } from '@nestjs/jwt';
import type {
  CachedApiKey,
  CacheLookup,
  PrincipalCacheService,
} from '../services/principal-cache.service';
import { ApiKeysService } from '../services/api-keys.service';
import { AuthService } from '../services/auth.service';
import { UsersService } from '../services/users.service';
import type { UnknownKeyPrefixesService } from '../services/unknown-key-prefixes.service';
import {
  FakeApiKeysRepository,
  FakeRefreshTokensRepository,
  FakeUsersRepository,
} from './fake-auth-repositories';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

export const META: RequestMeta = { ip: '203.0.113.7', userAgent: 'jest', requestId: 'req-1' };

export function authConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** An admin of `organizationId`, a user unless told otherwise. */
export const adminOf = (
  organizationId: OrganizationId,
  kind: Principal['kind'] = 'user',
): Principal => ({
  kind,
  id: `admin-of-${organizationId.slice(0, 4)}`,
  organizationId,
  role: 'admin',
});

/** PrincipalCacheService in memory, without generations (every fill is kept). */
export class FakePrincipalCache {
  readonly apiKeys = new Map<string, CachedApiKey>();
  readonly users = new Map<string, Principal>();
  readonly evicted: string[] = [];

  getApiKey(keyHash: string): Promise<CacheLookup<CachedApiKey>> {
    return Promise.resolve({ value: this.apiKeys.get(keyHash), generation: 'g' });
  }

  setApiKey(keyHash: string, value: CachedApiKey): Promise<void> {
    this.apiKeys.set(keyHash, value);
    return Promise.resolve();
  }

  evictApiKey(keyHash: string): Promise<void> {
    this.evicted.push(keyHash);
    this.apiKeys.delete(keyHash);
    return Promise.resolve();
  }

  getUser(userId: string): Promise<CacheLookup<Principal>> {
    return Promise.resolve({ value: this.users.get(userId), generation: 'g' });
  }

  setUser(principal: Principal): Promise<void> {
    this.users.set(principal.id, principal);
    return Promise.resolve();
  }

  evictUser(userId: string): Promise<void> {
    this.evicted.push(userId);
    this.users.delete(userId);
    return Promise.resolve();
  }

  asService(): PrincipalCacheService {
    return this as unknown as PrincipalCacheService;
  }
}

/** UnknownKeyPrefixesService as a set. */
export class FakeUnknownPrefixes {
  readonly prefixes = new Set<string>();

  has(prefix: string): Promise<boolean> {
    return Promise.resolve(this.prefixes.has(prefix));
  }

  add(prefix: string): Promise<void> {
    this.prefixes.add(prefix);
    return Promise.resolve();
  }

  forget(prefix: string): Promise<void> {
    this.prefixes.delete(prefix);
    return Promise.resolve();
  }

  asService(): UnknownKeyPrefixesService {
    return this as unknown as UnknownKeyPrefixesService;
  }
}

/** AuditService keeping its records in memory. */
export class FakeAuditTrail {
  readonly records: AuditRecord[] = [];

  record(record: AuditRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }

  actions(): string[] {
    return this.records.map((record) => record.action);
  }

  asService(): AuditService {
    return this as unknown as AuditService;
  }
}

/** One of each fake, fresh, and the services under test built over them. */
export class AuthFakes {
  readonly users = new FakeUsersRepository();
  readonly keys = new FakeApiKeysRepository();
  readonly tokens = new FakeRefreshTokensRepository();
  readonly cache = new FakePrincipalCache();
  readonly audit = new FakeAuditTrail();
  readonly unknown = new FakeUnknownPrefixes();

  apiKeysService(): ApiKeysService {
    return new ApiKeysService(
      this.keys.asRepository(),
      this.cache.asService(),
      this.audit.asService(),
      this.unknown.asService(),
    );
  }

  usersService(): UsersService {
    return new UsersService(
      this.users.asRepository(),
      this.tokens.asRepository(),
      this.cache.asService(),
      this.audit.asService(),
    );
  }

  authService(config: AppConfig, jwt: JwtService): AuthService {
    return new AuthService(
      this.users.asRepository(),
      this.tokens.asRepository(),
      jwt,
      this.cache.asService(),
      this.audit.asService(),
      config,
    );
  }
}
