import type { OrganizationId } from '@app/tenancy';
import type { Principal, Role } from '@app/access';
import { type AuditActor, AuditService } from '@app/audit';
import {
  decodeCursor,
  type Page,
  type PageQueryDto,
  ProblemException,
  type RequestMeta,
  toPage,
} from '@app/common';
import type { UnitOfWork } from '@app/database';
import { Injectable, Logger } from '@nestjs/common';
import {
  type ApiKeyDto,
  type CreatedApiKeyDto,
  type CreateApiKeyDto,
  mapApiKey,
} from '../dtos/api-key.dto';
import type { ApiKeyEntity } from '../entities/api-key.entity';
import { ApiKeysRepository } from '../repositories/api-keys.repository';
import { generateApiKey, parseApiKey } from './credentials';
import { type CachedApiKey, PrincipalCacheService } from './principal-cache.service';
import { UnknownKeyPrefixesService } from './unknown-key-prefixes.service';

// `lastUsedAt` is written at most this often per key, so authentication stays read-only.
const LAST_USED_RESOLUTION_MS = 60_000;

export function actorOf(principal: Principal): AuditActor {
  return { kind: principal.kind, id: principal.id, organizationId: principal.organizationId };
}

/** What acted when no principal did: the first start of the service, or the admin CLI. */
export type SystemActor = 'bootstrap' | 'cli';

/** The audit actor of something done by `via` in an organization. */
export function systemActor(via: SystemActor, organizationId: OrganizationId): AuditActor {
  return { kind: 'system', id: via, organizationId };
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly cache: PrincipalCacheService,
    private readonly audit: AuditService,
    private readonly unknownPrefixes: UnknownKeyPrefixesService,
  ) {}

  /** The principal for a presented key, or null if it is malformed, unknown, expired or revoked. */
  async authenticate(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (parsed === undefined) return null;
    // Read before the database: a fill stamped with it cannot outlive a revoke (PrincipalCacheService).
    const cached = await this.cache.getApiKey(parsed.keyHash);
    let resolved = cached.value;
    if (resolved === undefined) {
      if (await this.unknownPrefixes.has(parsed.prefix)) return null;
      const key = await this.keys.findByPrefixForAuthentication(parsed.prefix);
      if (key === null) await this.unknownPrefixes.add(parsed.prefix);
      // The hash is unique per key; comparing it (not only the prefix) proves possession of the secret.
      if (key === null || key.keyHash !== parsed.keyHash || key.revokedAt !== null) return null;
      resolved = {
        principal: {
          kind: 'apiKey',
          id: key.id,
          organizationId: key.organizationId,
          role: key.role,
        },
        expiresAt: key.expiresAt?.toISOString() ?? null,
        lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      };
      await this.cache.setApiKey(parsed.keyHash, resolved, cached.generation);
    }
    if (resolved.expiresAt !== null && Date.parse(resolved.expiresAt) <= Date.now()) return null;
    this.recordUse(parsed.keyHash, resolved, cached.generation);
    return resolved.principal;
  }

  private recordUse(keyHash: string, resolved: CachedApiKey, generation: string): void {
    const now = new Date();
    if (
      resolved.lastUsedAt !== null &&
      now.getTime() - Date.parse(resolved.lastUsedAt) < LAST_USED_RESOLUTION_MS
    )
      return;
    // A new object: the in-process cache hands out the stored one, which must not change.
    void this.cache.setApiKey(keyHash, { ...resolved, lastUsedAt: now.toISOString() }, generation);
    this.keys.touchLastUsed(resolved.principal.id, now).catch((error: unknown) => {
      this.logger.warn(
        `Could not record lastUsedAt: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  async create(
    actor: Principal,
    dto: CreateApiKeyDto,
    meta: RequestMeta,
  ): Promise<CreatedApiKeyDto> {
    if (dto.expiresAt !== undefined && dto.expiresAt.getTime() <= Date.now()) {
      throw new ProblemException(400, 'validation-error', 'expiresAt must be in the future', [
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    }
    const created = await this.issue(
      actor.organizationId,
      dto.name,
      dto.role,
      dto.expiresAt ?? null,
    );
    await this.audit.record({
      actor: actorOf(actor),
      action: 'api-key.created',
      outcome: 'success',
      target: { type: 'api-key', id: created.id },
      meta,
      details: { name: dto.name, role: dto.role },
    });
    return created;
  }

  /**
   * The audit record of a key made by {@link issue} outside the API, once the caller's
   * transaction (if any) has committed: a key that works must be in the audit log.
   */
  recordIssued(
    key: Pick<ApiKeyDto, 'id' | 'name' | 'role'>,
    organizationId: OrganizationId,
    via: SystemActor,
  ): Promise<void> {
    return this.audit.record({
      actor: systemActor(via, organizationId),
      action: 'api-key.created',
      outcome: 'success',
      target: { type: 'api-key', id: key.id },
      details: { name: key.name, role: key.role, via },
    });
  }

  /** Creates a key without an acting principal: bootstrap and the CLI ({@link recordIssued}). */
  async issue(
    organizationId: OrganizationId,
    name: string,
    role: Role,
    expiresAt: Date | null,
    manager?: UnitOfWork,
    presetKey?: string,
  ): Promise<CreatedApiKeyDto> {
    const generated = presetKey === undefined ? generateApiKey() : parseApiKey(presetKey);
    if (generated === undefined)
      throw new Error('The preset API key is not a well-formed Sightline key');
    const entity = await this.keys.insert(
      organizationId,
      { name, role, prefix: generated.prefix, keyHash: generated.keyHash, expiresAt },
      manager,
    );
    await this.unknownPrefixes.forget(generated.prefix);
    return { ...mapApiKey(entity), key: generated.key };
  }

  async list(organizationId: OrganizationId, query: PageQueryDto): Promise<Page<ApiKeyDto>> {
    const rows = await this.keys.list(organizationId, query.limit, decodeCursor(query.cursor));
    return toPage(rows, query.limit, mapApiKey);
  }

  async rotate(actor: Principal, id: string, meta: RequestMeta): Promise<CreatedApiKeyDto> {
    const generated = generateApiKey();
    const rotated = await this.keys.rotate(
      actor.organizationId,
      id,
      generated.prefix,
      generated.keyHash,
    );
    if (rotated === null) throw notFound(id);
    await this.unknownPrefixes.forget(generated.prefix);
    await this.cache.evictApiKey(rotated.previousHash);
    await this.audit.record({
      actor: actorOf(actor),
      action: 'api-key.rotated',
      outcome: 'success',
      target: { type: 'api-key', id },
      meta,
    });
    return { ...mapApiKey(rotated.key), key: generated.key };
  }

  async revoke(actor: Principal, id: string, meta: RequestMeta): Promise<void> {
    const revoked: ApiKeyEntity | null = await this.keys.revoke(actor.organizationId, id);
    if (revoked === null) throw notFound(id);
    await this.cache.evictApiKey(revoked.keyHash);
    await this.audit.record({
      actor: actorOf(actor),
      action: 'api-key.revoked',
      outcome: 'success',
      target: { type: 'api-key', id },
      meta,
    });
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, 'not-found', `API key ${id} was not found`);
}
