import { type Organization, organizationIdOf, type OrganizationsService } from '@app/tenancy';
import type { UnitOfWork } from '@app/database';
import { Logger } from '@nestjs/common';
import { authConfig, AuthFakes } from '../testing/fake-auth';
import { generateApiKey, sha256Hex } from './credentials';
import { OrganizationBootstrapService } from './organization-bootstrap.service';

interface Unit {
  id: number;
  locked: boolean;
  outcome?: 'committed' | 'rolled back';
}

/**
 * OrganizationsService in memory. A transaction is a token recorded with each write; one
 * whose work throws is rolled back (its organizations dropped). `whileCreatingTheFirst` is a
 * locked one, and may see a row another process inserted before the lock was granted.
 */
class FakeOrganizations {
  readonly rows: Organization[] = [];
  readonly units: Unit[] = [];
  readonly createdIn: unknown[] = [];
  /** Inserted by "another process" as the next lock is granted. */
  insertOnLock: string | undefined;

  findById(id: string): Promise<Organization | undefined> {
    return Promise.resolve(this.rows.find((row) => row.id === id));
  }

  findOldest(): Promise<Organization | undefined> {
    const sorted = [...this.rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return Promise.resolve(sorted[0]);
  }

  create(name: string, work?: UnitOfWork): Promise<Organization> {
    this.createdIn.push(work);
    const n = this.rows.length + 1;
    const row = {
      id: organizationIdOf(`00000000-0000-4000-9000-${String(n).padStart(12, '0')}`),
      name,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  async whileCreatingTheFirst<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    if (this.insertOnLock !== undefined) await this.create(this.insertOnLock);
    this.insertOnLock = undefined;
    return this.run(true, work);
  }

  asService(): OrganizationsService {
    return this as unknown as OrganizationsService;
  }

  private async run<T>(locked: boolean, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    const unit: Unit = { id: this.units.length + 1, locked };
    this.units.push(unit);
    const before = this.rows.length;
    try {
      const result = await work(unit as unknown as UnitOfWork);
      unit.outcome = 'committed';
      return result;
    } catch (error) {
      this.rows.length = before;
      unit.outcome = 'rolled back';
      throw error;
    }
  }
}

describe('OrganizationBootstrapService', () => {
  let f: AuthFakes;
  let organizations: FakeOrganizations;
  let printed: string[];
  let logged: string[];

  const service = (env: Record<string, string> = {}) =>
    new OrganizationBootstrapService(
      organizations.asService(),
      f.apiKeysService(),
      authConfig(env),
      f.audit.asService(),
    );

  beforeEach(() => {
    f = new AuthFakes();
    organizations = new FakeOrganizations();
    printed = [];
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
      printed.push(String(text));
      return true;
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });

  afterEach(() => jest.restoreAllMocks());

  describe('createOrganization', () => {
    it('writes the organization and its admin key in one transaction, the key shown once', async () => {
      const created = await service().createOrganization('Acme');

      const [unit] = organizations.units;
      expect(organizations.units).toEqual([{ id: 1, locked: false, outcome: 'committed' }]);
      expect(organizations.createdIn).toEqual([unit]);
      expect(f.keys.insertedIn).toEqual([unit]);
      const [stored] = f.keys.rows;
      expect(created).toEqual({
        organizationId: organizations.rows[0]?.id,
        name: 'Acme',
        apiKeyId: stored?.id,
        apiKey: expect.stringMatching(/^sl_[A-Za-z0-9]{12}_/),
      });
      expect(stored).toMatchObject({ organizationId: created.organizationId, role: 'admin' });
      expect(stored?.keyHash).toBe(sha256Hex(created.apiKey));
      expect(JSON.stringify(f.keys.rows)).not.toContain(created.apiKey);
      // The caller records it once the command has committed (recordCreated): nothing yet.
      expect(f.audit.records).toEqual([]);
      expect(printed).toEqual([]);
    });

    it('issues a preset key when given one, and refuses a malformed one, creating nothing', async () => {
      const preset = generateApiKey().key;
      expect((await service().createOrganization('Preset', preset)).apiKey).toBe(preset);

      await expect(service().createOrganization('Broken', 'sl_not-a-key')).rejects.toThrow(
        'The preset API key is not a well-formed Sightline key',
      );
      expect(organizations.units.map((unit) => unit.outcome)).toEqual(['committed', 'rolled back']);
      expect(organizations.rows.map((row) => row.name)).toEqual(['Preset']);
      expect(f.keys.rows).toHaveLength(1);
    });
  });

  describe('recordCreated', () => {
    it('audits the organization and its first key as done by the system actor', async () => {
      const created = await service().createOrganization('Acme');
      await service().recordCreated(created, 'cli');
      const actor = { kind: 'system', id: 'cli', organizationId: created.organizationId };
      expect(f.audit.records).toEqual([
        {
          actor,
          action: 'organization.created',
          outcome: 'success',
          target: { type: 'organization', id: created.organizationId },
          details: { name: 'Acme', via: 'cli' },
        },
        {
          actor,
          action: 'api-key.created',
          outcome: 'success',
          target: { type: 'api-key', id: created.apiKeyId },
          details: { name: 'bootstrap admin key', role: 'admin', via: 'cli' },
        },
      ]);
    });

    it('audits only the organization when no key was issued with it', async () => {
      const { created: _created, ...first } = await service().firstOrganization();
      await service().recordCreated(first, 'cli');
      expect(f.audit.actions()).toEqual(['organization.created']);
    });
  });

  describe('findOrganization', () => {
    it('answers the summary of an organization, and undefined for an unknown id', async () => {
      const created = await service().createOrganization('Acme');
      await expect(service().findOrganization(created.organizationId)).resolves.toEqual({
        organizationId: created.organizationId,
        name: 'Acme',
      });
      await expect(
        service().findOrganization(organizationIdOf('99999999-9999-4999-8999-999999999999')),
      ).resolves.toBeUndefined();
    });
  });

  describe('firstOrganization', () => {
    it('answers the oldest organization, without taking the lock or creating one', async () => {
      const oldest = await organizations.create('Oldest');
      await organizations.create('Younger');
      await expect(service().firstOrganization()).resolves.toEqual({
        organizationId: oldest.id,
        name: 'Oldest',
        created: false,
      });
      expect(organizations.units).toEqual([]);
      expect(organizations.rows).toHaveLength(2);
    });

    it('creates the default organization under the lock on an empty database, without a key', async () => {
      const first = await service().firstOrganization();
      expect(first).toEqual({
        organizationId: organizations.rows[0]?.id,
        name: 'Default organization',
        created: true,
      });
      expect(organizations.units).toEqual([{ id: 1, locked: true, outcome: 'committed' }]);
      expect(f.keys.rows).toEqual([]);
    });

    it('takes the one another process created while it waited for the lock', async () => {
      organizations.insertOnLock = 'Made by the other process';
      const first = await service().firstOrganization();
      expect(first).toMatchObject({ name: 'Made by the other process', created: false });
      expect(organizations.rows).toHaveLength(1);
    });
  });

  describe('bootstrapIfEmpty', () => {
    it('on an empty database: the first organization and admin key, audited, the key printed once', async () => {
      const created = await service().bootstrapIfEmpty();

      expect(created).toMatchObject({ name: 'Default organization' });
      expect(organizations.units).toEqual([{ id: 1, locked: true, outcome: 'committed' }]);
      expect(f.keys.insertedIn).toEqual([organizations.units[0]]);
      expect(f.audit.records.map((record) => [record.action, record.details?.via])).toEqual([
        ['organization.created', 'bootstrap'],
        ['api-key.created', 'bootstrap'],
      ]);
      const key = created?.apiKey ?? 'no key';
      expect(printed.filter((text) => text.includes(key))).toHaveLength(1);
      // Standard output only: the logger's lines may be stored, so they never hold the key.
      expect(logged).toEqual([
        `Created the first organization ${created?.organizationId} and its admin API key`,
      ]);
      expect(JSON.stringify(f.audit.records)).not.toContain(key);
    });

    it('issues BOOTSTRAP_ADMIN_API_KEY when set, and prints nothing (its owner has it)', async () => {
      const preset = generateApiKey().key;
      const created = await service({ BOOTSTRAP_ADMIN_API_KEY: preset }).bootstrapIfEmpty();
      expect(created?.apiKey).toBe(preset);
      expect(f.keys.rows[0]?.keyHash).toBe(sha256Hex(preset));
      expect(printed).toEqual([]);
    });

    it('does nothing once an organization exists', async () => {
      await organizations.create('Already here');
      await expect(service().bootstrapIfEmpty()).resolves.toBeUndefined();
      expect(organizations.rows).toHaveLength(1);
      expect(f.keys.rows).toEqual([]);
      expect(f.audit.records).toEqual([]);
      expect(printed).toEqual([]);
    });

    it('rolls the organization back when its key cannot be stored: nothing audited or printed', async () => {
      jest.spyOn(f.keys, 'insert').mockRejectedValue(new Error('the database went away'));
      await expect(service().bootstrapIfEmpty()).rejects.toThrow('the database went away');
      expect(organizations.units).toEqual([{ id: 1, locked: true, outcome: 'rolled back' }]);
      expect(organizations.rows).toEqual([]);
      expect(f.audit.records).toEqual([]);
      expect(printed).toEqual([]);
    });
  });
});
