import { type OrganizationId } from '@app/tenancy';
import { PageQueryDto } from '@app/common';
import type { CreateApiKeyDto } from '../dtos/api-key.dto';
import { adminOf, AuthFakes, META, ORG_A, ORG_B } from '../testing/fake-auth';
import { apiKeyEntity } from '../testing/fake-auth-repositories';
import { type ApiKeysService } from './api-keys.service';
import { generateApiKey, sha256Hex } from './credentials';

const createDto = (fields: Partial<CreateApiKeyDto> = {}): CreateApiKeyDto => ({
  name: 'ci',
  role: 'analyst',
  ...fields,
});

describe('ApiKeysService', () => {
  let f: AuthFakes;
  let service: ApiKeysService;

  beforeEach(() => {
    f = new AuthFakes();
    service = f.apiKeysService();
  });

  /** A stored key of `organizationId` whose secret the test holds. */
  const storedKey = (
    organizationId: OrganizationId,
    fields: Parameters<typeof apiKeyEntity>[1] = {},
  ) => {
    const generated = generateApiKey();
    const entity = apiKeyEntity(organizationId, {
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      ...fields,
    });
    f.keys.rows.push(entity);
    return { entity, key: generated.key };
  };

  describe('create', () => {
    it("shows the secret once, stores only its hash, in the actor's organization, and audits it", async () => {
      const created = await service.create(adminOf(ORG_A), createDto({ role: 'viewer' }), META);
      expect(created.key).toMatch(/^sl_[A-Za-z0-9]{12}_/);
      const [stored] = f.keys.rows;
      expect(stored).toMatchObject({ organizationId: ORG_A, role: 'viewer', name: 'ci' });
      expect(stored?.keyHash).toBe(sha256Hex(created.key));
      expect(JSON.stringify(stored)).not.toContain(created.key);
      expect(f.keys.calls).toEqual([{ method: 'insert', organizationId: ORG_A }]);
      expect(f.audit.records).toEqual([
        {
          actor: { kind: 'user', id: adminOf(ORG_A).id, organizationId: ORG_A },
          action: 'api-key.created',
          outcome: 'success',
          target: { type: 'api-key', id: created.id },
          meta: META,
          details: { name: 'ci', role: 'viewer' },
        },
      ]);
      // The list never shows the secret again.
      const page = await service.list(ORG_A, Object.assign(new PageQueryDto(), { limit: 10 }));
      expect(page.data[0]).not.toHaveProperty('key');
      expect(JSON.stringify(page)).not.toContain(created.key);
    });

    it('refuses an expiry in the past with a 400 naming the field, and creates nothing', async () => {
      const past = new Date(Date.now() - 1000);
      await expect(
        service.create(adminOf(ORG_A), createDto({ expiresAt: past }), META),
      ).rejects.toMatchObject({
        status: 400,
        slug: 'validation-error',
        fieldErrors: [{ field: 'expiresAt', message: 'expiresAt must be in the future' }],
      });
      expect(f.keys.rows).toEqual([]);
      expect(f.audit.records).toEqual([]);
    });

    it('forgets the new prefix among the unknown ones, so the key works at once', async () => {
      const generated = generateApiKey();
      f.unknown.prefixes.add(generated.prefix);
      await service.issue(ORG_A, 'preset', 'admin', null, undefined, generated.key);
      expect(f.unknown.prefixes.has(generated.prefix)).toBe(false);
      await expect(service.authenticate(generated.key)).resolves.toMatchObject({
        organizationId: ORG_A,
        role: 'admin',
      });
    });

    it('refuses a preset key that is not a Sightline key', async () => {
      await expect(service.issue(ORG_A, 'bad', 'admin', null, undefined, 'nope')).rejects.toThrow(
        'not a well-formed Sightline key',
      );
    });

    it('audits a key issued outside the API as the system acting in its organization', async () => {
      await service.recordIssued({ id: 'k1', name: 'first', role: 'admin' }, ORG_B, 'bootstrap');
      expect(f.audit.records).toEqual([
        expect.objectContaining({
          actor: { kind: 'system', id: 'bootstrap', organizationId: ORG_B },
          action: 'api-key.created',
          details: { name: 'first', role: 'admin', via: 'bootstrap' },
        }),
      ]);
    });
  });

  describe('rotate', () => {
    it('answers a new secret, evicts the old hash, and audits it', async () => {
      const { entity, key } = storedKey(ORG_A);
      const oldHash = entity.keyHash;
      const rotated = await service.rotate(adminOf(ORG_A), entity.id, META);
      expect(rotated.key).not.toBe(key);
      expect(entity.keyHash).toBe(sha256Hex(rotated.key));
      expect(f.cache.evicted).toEqual([oldHash]);
      expect(f.keys.calls).toEqual([{ method: 'rotate', organizationId: ORG_A }]);
      expect(f.audit.actions()).toEqual(['api-key.rotated']);
      await expect(service.authenticate(key)).resolves.toBeNull();
      await expect(service.authenticate(rotated.key)).resolves.toMatchObject({ id: entity.id });
    });

    it("answers 404 for another organization's key, and for a revoked one, changing nothing", async () => {
      const { entity } = storedKey(ORG_B);
      const revoked = storedKey(ORG_A, { revokedAt: new Date() }).entity;
      for (const id of [entity.id, revoked.id]) {
        await expect(service.rotate(adminOf(ORG_A), id, META)).rejects.toMatchObject({
          status: 404,
          slug: 'not-found',
        });
      }
      expect(f.cache.evicted).toEqual([]);
      expect(f.audit.records).toEqual([]);
    });
  });

  describe('revoke', () => {
    it('revokes, evicts the cached key and audits; the key no longer authenticates', async () => {
      const { entity, key } = storedKey(ORG_A);
      await expect(service.authenticate(key)).resolves.not.toBeNull();
      await service.revoke(adminOf(ORG_A), entity.id, META);
      expect(entity.revokedAt).toEqual(expect.any(Date));
      expect(f.cache.evicted).toEqual([entity.keyHash]);
      expect(f.audit.actions()).toEqual(['api-key.revoked']);
      await expect(service.authenticate(key)).resolves.toBeNull();
    });

    it("answers 404 for another organization's key, which stays valid", async () => {
      const { entity, key } = storedKey(ORG_B);
      await expect(service.revoke(adminOf(ORG_A), entity.id, META)).rejects.toMatchObject({
        status: 404,
      });
      expect(f.keys.calls).toEqual([{ method: 'revoke', organizationId: ORG_A }]);
      expect(entity.revokedAt).toBeNull();
      await expect(service.authenticate(key)).resolves.toMatchObject({ organizationId: ORG_B });
    });
  });

  describe('authenticate', () => {
    it("answers the key's principal in its own organization, with its role", async () => {
      const { entity, key } = storedKey(ORG_B, { role: 'viewer' });
      await expect(service.authenticate(key)).resolves.toEqual({
        kind: 'apiKey',
        id: entity.id,
        organizationId: ORG_B,
        role: 'viewer',
      });
    });

    it('refuses a malformed key without a look-up, and remembers an unknown prefix', async () => {
      await expect(service.authenticate('not-a-key')).resolves.toBeNull();
      expect(f.keys.calls).toEqual([]);
      const stranger = generateApiKey();
      await expect(service.authenticate(stranger.key)).resolves.toBeNull();
      await expect(service.authenticate(stranger.key)).resolves.toBeNull();
      expect(f.keys.calls).toHaveLength(1);
      expect(f.unknown.prefixes.has(stranger.prefix)).toBe(true);
    });

    it('refuses a key whose secret does not match its prefix', async () => {
      const { entity } = storedKey(ORG_A);
      const forged = `sl_${entity.prefix}_${'A'.repeat(43)}`;
      await expect(service.authenticate(forged)).resolves.toBeNull();
    });

    it('refuses an expired key, cached or not', async () => {
      const { key } = storedKey(ORG_A, { expiresAt: new Date(Date.now() - 1000) });
      await expect(service.authenticate(key)).resolves.toBeNull();
      await expect(service.authenticate(key)).resolves.toBeNull();
    });

    it('records the last use at most once a minute', async () => {
      const { entity, key } = storedKey(ORG_A);
      await service.authenticate(key);
      await service.authenticate(key);
      expect(f.keys.touched.map((touch) => touch.id)).toEqual([entity.id]);
    });
  });
});
