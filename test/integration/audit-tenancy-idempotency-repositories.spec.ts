import { OrganizationEntity, type OrganizationId, organizationIdOf } from '@app/tenancy';
import { AuditEventEntity } from '../../libs/audit/src/entities/audit-event.entity';
import { AuditEventsRepository } from '../../libs/audit/src/repositories/audit-events.repository';
import { IdempotencyKeysRepository } from '../../libs/idempotency/src/repositories/idempotency-keys.repository';
import { OrganizationsRepository } from '../../libs/tenancy/src/repositories/organizations.repository';
import { until } from '../support/poll';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

describe('Audit, organization and idempotency-key repositories (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => ({ db, org, other } = await repositoryDatabaseOfTwo()));
  afterAll(() => db.close());

  describe('AuditEventsRepository', () => {
    let events: AuditEventsRepository;
    beforeAll(() => {
      events = new AuditEventsRepository(db.dataSource.getRepository(AuditEventEntity));
    });

    it('inserts an event, with or without an organization', async () => {
      await events.insert({
        organizationId: null,
        actorKind: 'anonymous',
        actorId: null,
        action: 'auth.login',
        outcome: 'failure',
        targetType: null,
        targetId: null,
        ip: '203.0.113.9',
        userAgent: 'jest',
        requestId: 'req-1',
        details: { why: 'unknown email' },
      });
      const stored = await db.dataSource
        .getRepository(AuditEventEntity)
        .findOneByOrFail({ requestId: 'req-1' });
      expect(stored).toMatchObject({
        organizationId: null,
        ip: '203.0.113.9',
        details: { why: 'unknown email' },
        createdAt: expect.any(Date),
      });
    });

    it("lists the organization's events newest first, and none of another's", async () => {
      const lister = await db.factory.newOrganization();
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push((await db.factory.newAuditEvent(lister)).id);
      await db.factory.newAuditEvent(other);
      const first = await events.list(lister, {}, 2, undefined);
      expect(first.map((row) => row.item.id)).toEqual([made[2], made[1], made[0]]);
      const rest = await events.list(lister, {}, 2, first[1]?.position);
      expect(rest.map((row) => row.item.id)).toEqual([made[0]]);
      const others = await events.list(other, {}, 100, undefined);
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((row) => row.item.organizationId === other)).toBe(true);
    });

    it('filters by action and by a half-open time range [from, to)', async () => {
      const filtered = await db.factory.newOrganization();
      const at = (day: number) => new Date(Date.UTC(2026, 0, day));
      const jan1 = await db.factory.newAuditEvent(filtered, { createdAt: at(1) });
      const jan2 = await db.factory.newAuditEvent(filtered, { createdAt: at(2) });
      const revoked = await db.factory.newAuditEvent(filtered, {
        action: 'api-key.revoked',
        createdAt: at(2),
      });
      const ids = async (filter: Parameters<AuditEventsRepository['list']>[1]) =>
        (await events.list(filtered, filter, 10, undefined)).map((row) => row.item.id).sort();
      await expect(ids({ action: 'api-key.revoked' })).resolves.toEqual([revoked.id]);
      await expect(ids({ from: at(2) })).resolves.toEqual([jan2.id, revoked.id].sort());
      await expect(ids({ to: at(2) })).resolves.toEqual([jan1.id]);
      await expect(ids({ action: 'user.created', from: at(1), to: at(3) })).resolves.toEqual(
        [jan1.id, jan2.id].sort(),
      );
      await expect(
        events.list(other, { action: 'api-key.revoked' }, 10, undefined),
      ).resolves.toEqual([]);
    });
  });

  describe('OrganizationsRepository', () => {
    let organizations: OrganizationsRepository;
    beforeAll(() => {
      organizations = new OrganizationsRepository(db.dataSource.getRepository(OrganizationEntity));
    });

    it('inserts and finds an organization by id', async () => {
      const created = await organizations.insert('Acme');
      expect(created).toMatchObject({ id: expect.any(String), name: 'Acme' });
      await expect(organizations.findById(created.id)).resolves.toMatchObject({ name: 'Acme' });
      await expect(
        organizations.findById(organizationIdOf('99999999-9999-4999-8999-999999999999')),
      ).resolves.toBeNull();
    });

    it('finds the oldest organization', async () => {
      const oldest = await organizations.findOldest();
      const [first] = await db.dataSource.query<Array<{ id: string }>>(
        'SELECT id FROM organizations ORDER BY created_at ASC LIMIT 1',
      );
      expect(oldest?.id).toBe(first?.id);
    });

    it('writes nothing when the transaction fails', async () => {
      const failing = organizations.inTransaction(async (work) => {
        await organizations.insert('Never', work);
        throw new Error('the other half failed');
      });
      await expect(failing).rejects.toThrow('the other half failed');
      await expect(
        db.dataSource.getRepository(OrganizationEntity).countBy({ name: 'Never' }),
      ).resolves.toBe(0);
    });

    it('lets one locked transaction run at a time', async () => {
      const order: string[] = [];
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = organizations.inLockedTransaction(42, async () => {
        order.push('first in');
        await held;
        order.push('first out');
      });
      await until('the first to hold the lock', () => (order.length > 0 ? true : undefined));
      const second = organizations.inLockedTransaction(42, () => {
        order.push('second in');
        return Promise.resolve();
      });
      // The second is seen waiting on the advisory lock, not merely not yet run.
      await until('the second to wait on the lock', async () => {
        const [row] = await db.dataSource.query<Array<{ n: number }>>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        );
        return row?.n === 1 ? true : undefined;
      });
      expect(order).toEqual(['first in']);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first in', 'first out', 'second in']);
    });
  });

  describe('IdempotencyKeysRepository', () => {
    let keys: IdempotencyKeysRepository;
    const ages = { ttlSeconds: 3600, abandonedAfterSeconds: 60 };
    beforeAll(() => {
      keys = new IdempotencyKeysRepository(db.dataSource);
    });

    it('takes a key once per organization', async () => {
      await expect(keys.insertInProgress(org, 'k-once', 'h1')).resolves.toBe(true);
      await expect(keys.insertInProgress(org, 'k-once', 'h2')).resolves.toBe(false);
      await expect(keys.insertInProgress(other, 'k-once', 'h3')).resolves.toBe(true);
      await expect(keys.find(org, 'k-once', ages)).resolves.toMatchObject({ requestHash: 'h1' });
      await expect(keys.find(other, 'k-once', ages)).resolves.toMatchObject({ requestHash: 'h3' });
    });

    it('finds a key with its state and ages by the database clock; nothing for another organization', async () => {
      const fresh = await db.factory.newIdempotencyKey(org, { requestHash: 'h' });
      await expect(keys.find(org, fresh, ages)).resolves.toEqual({
        requestHash: 'h',
        state: 'in_progress',
        responseStatus: null,
        responseBody: null,
        expired: false,
        abandoned: false,
      });
      await expect(keys.find(other, fresh, ages)).resolves.toBeUndefined();
      const stale = await db.factory.newIdempotencyKey(org, { ageSeconds: 120 });
      await expect(keys.find(org, stale, ages)).resolves.toMatchObject({
        expired: false,
        abandoned: true,
      });
      const old = await db.factory.newIdempotencyKey(org, { ageSeconds: 7200 });
      await expect(keys.find(org, old, ages)).resolves.toMatchObject({
        expired: true,
        abandoned: true,
      });
    });

    it('stores the response, replacing the hash only when given; another organization marks nothing', async () => {
      const key = await db.factory.newIdempotencyKey(org, { requestHash: 'first' });
      await keys.markDone(other, key, { status: 500, body: { wrong: true } });
      await expect(keys.find(org, key, ages)).resolves.toMatchObject({ state: 'in_progress' });
      await keys.markDone(org, key, { status: 201, body: { id: 'x' } });
      await expect(keys.find(org, key, ages)).resolves.toMatchObject({
        state: 'done',
        requestHash: 'first',
        responseStatus: 201,
        responseBody: { id: 'x' },
      });
      await keys.markDone(org, key, { status: 201, body: { id: 'x' }, requestHash: 'streamed' });
      await expect(keys.find(org, key, ages)).resolves.toMatchObject({ requestHash: 'streamed' });
    });

    it("deletes the organization's key only", async () => {
      const key = await db.factory.newIdempotencyKey(org);
      await keys.delete(other, key);
      await expect(keys.find(org, key, ages)).resolves.toBeDefined();
      await keys.delete(org, key);
      await expect(keys.find(org, key, ages)).resolves.toBeUndefined();
    });

    it("deletes every organization's keys past the time-to-live, and answers how many", async () => {
      const mine = await db.factory.newIdempotencyKey(org, { ageSeconds: 10_000 });
      const theirs = await db.factory.newIdempotencyKey(other, { ageSeconds: 10_000 });
      const kept = await db.factory.newIdempotencyKey(org, { ageSeconds: 100 });
      await expect(keys.deleteOlderThan(9_000)).resolves.toBe(2);
      await expect(keys.find(org, mine, ages)).resolves.toBeUndefined();
      await expect(keys.find(other, theirs, ages)).resolves.toBeUndefined();
      await expect(keys.find(org, kept, ages)).resolves.toBeDefined();
    });
  });
});
