import { type OrganizationId } from '@app/tenancy';
import { randomUUID } from 'node:crypto';
import { ApiKeyEntity } from '../../libs/auth/src/entities/api-key.entity';
import { RefreshTokenEntity } from '../../libs/auth/src/entities/refresh-token.entity';
import { SignatureNonceEntity } from '../../libs/auth/src/entities/signature-nonce.entity';
import { UserEntity } from '../../libs/auth/src/entities/user.entity';
import { ApiKeysRepository } from '../../libs/auth/src/repositories/api-keys.repository';
import { RefreshTokensRepository } from '../../libs/auth/src/repositories/refresh-tokens.repository';
import { SignatureNoncesRepository } from '../../libs/auth/src/repositories/signature-nonces.repository';
import { UsersRepository } from '../../libs/auth/src/repositories/users.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

describe('Auth repositories (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => ({ db, org, other } = await repositoryDatabaseOfTwo()));
  afterAll(() => db.close());

  describe('UsersRepository', () => {
    let users: UsersRepository;
    beforeAll(() => {
      users = new UsersRepository(db.dataSource.getRepository(UserEntity));
    });

    it('finds a user by email for login, across organizations, and says the email exists', async () => {
      const user = await db.factory.newUser(org, { email: 'login@example.com', role: 'admin' });
      await expect(users.findByEmailForAuthentication('login@example.com')).resolves.toMatchObject({
        id: user.id,
        organizationId: org,
        role: 'admin',
      });
      await expect(users.findByEmailForAuthentication('nobody@example.com')).resolves.toBeNull();
      await expect(users.existsByEmail('login@example.com')).resolves.toBe(true);
      await expect(users.existsByEmail('nobody@example.com')).resolves.toBe(false);
    });

    it("finds a token's user only with the organization the token names", async () => {
      const user = await db.factory.newUser(org);
      await expect(users.findForAuthentication(org, user.id)).resolves.toMatchObject({
        id: user.id,
      });
      await expect(users.findForAuthentication(other, user.id)).resolves.toBeNull();
    });

    it('refuses a second user with the same email, in any organization', async () => {
      await db.factory.newUser(org, { email: 'twice@example.com' });
      await expect(
        users.insert(other, { email: 'twice@example.com', role: 'viewer', passwordHash: 'x' }),
      ).rejects.toMatchObject({ driverError: { constraint: 'users_email_unique' } });
    });

    it("inserts in the caller's transaction: nothing is there if it rolls back", async () => {
      const runner = db.dataSource.createQueryRunner();
      await runner.startTransaction();
      const user = await users.insert(
        org,
        { email: 'rolled-back@example.com', role: 'viewer', passwordHash: 'x' },
        runner.manager,
      );
      await runner.rollbackTransaction();
      await runner.release();
      await expect(users.findById(org, user.id)).resolves.toBeNull();
    });

    it('finds, updates and deletes within the organization, and nothing for another', async () => {
      const user = await db.factory.newUser(org, { role: 'viewer' });
      await expect(users.findById(other, user.id)).resolves.toBeNull();
      await expect(users.update(other, user.id, { role: 'admin' })).resolves.toBeNull();
      await expect(users.delete(other, user.id)).resolves.toBe(false);
      await expect(users.findById(org, user.id)).resolves.toMatchObject({ role: 'viewer' });

      await expect(users.update(org, user.id, { role: 'admin' })).resolves.toMatchObject({
        id: user.id,
        role: 'admin',
      });
      await expect(users.delete(org, user.id)).resolves.toBe(true);
      await expect(users.findById(org, user.id)).resolves.toBeNull();
      await expect(users.delete(org, user.id)).resolves.toBe(false);
    });

    it('lists the organization’s users newest first, limit + 1, and goes on after a position', async () => {
      const lister = await db.factory.newOrganization();
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push((await db.factory.newUser(lister)).id);
      const first = await users.list(lister, 2, undefined);
      expect(first.map((row) => row.item.id)).toEqual([made[2], made[1], made[0]]);
      const rest = await users.list(lister, 2, first[1]?.position);
      expect(rest.map((row) => row.item.id)).toEqual([made[0]]);
      await expect(users.list(other, 10, undefined)).resolves.not.toContainEqual(
        expect.objectContaining({ item: expect.objectContaining({ organizationId: lister }) }),
      );
    });
  });

  describe('ApiKeysRepository', () => {
    let keys: ApiKeysRepository;
    beforeAll(() => {
      keys = new ApiKeysRepository(db.dataSource.getRepository(ApiKeyEntity));
    });

    it('finds a key by prefix for authentication, whatever its organization', async () => {
      const { entity } = await db.factory.newApiKey(other, { role: 'admin' });
      await expect(keys.findByPrefixForAuthentication(entity.prefix)).resolves.toMatchObject({
        id: entity.id,
        organizationId: other,
        keyHash: entity.keyHash,
        role: 'admin',
      });
      await expect(keys.findByPrefixForAuthentication('unknown')).resolves.toBeNull();
    });

    it('finds a key only in its organization', async () => {
      const { entity } = await db.factory.newApiKey(org);
      await expect(keys.findById(org, entity.id)).resolves.toMatchObject({ id: entity.id });
      await expect(keys.findById(other, entity.id)).resolves.toBeNull();
    });

    it("lists the organization's keys newest first, limit + 1, and goes on after a position", async () => {
      const lister = await db.factory.newOrganization();
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push((await db.factory.newApiKey(lister)).entity.id);
      const first = await keys.list(lister, 2, undefined);
      expect(first.map((row) => row.item.id)).toEqual([made[2], made[1], made[0]]);
      const rest = await keys.list(lister, 2, first[1]?.position);
      expect(rest.map((row) => row.item.id)).toEqual([made[0]]);
      const others = await keys.list(other, 100, undefined);
      expect(others.map((row) => row.item.id)).not.toEqual(expect.arrayContaining([made[0]]));
    });

    it('rotates the secret and answers the old hash; another organization rotates nothing', async () => {
      const { entity } = await db.factory.newApiKey(org);
      await expect(keys.rotate(other, entity.id, 'p-other', 'h-other')).resolves.toBeNull();
      const rotated = await keys.rotate(org, entity.id, `p-${randomUUID()}`, 'new-hash');
      expect(rotated?.previousHash).toBe(entity.keyHash);
      expect(rotated?.key).toMatchObject({ keyHash: 'new-hash', rotatedAt: expect.any(Date) });
      await expect(keys.findById(org, entity.id)).resolves.toMatchObject({ keyHash: 'new-hash' });
    });

    it('rotates no revoked key', async () => {
      const { entity } = await db.factory.newApiKey(org, { revoked: true });
      await expect(keys.rotate(org, entity.id, `p-${randomUUID()}`, 'h')).resolves.toBeNull();
      await expect(keys.findById(org, entity.id)).resolves.toMatchObject({
        keyHash: entity.keyHash,
      });
    });

    it('revokes once (a second revoke keeps the first time); another organization revokes nothing', async () => {
      const { entity } = await db.factory.newApiKey(org);
      await expect(keys.revoke(other, entity.id)).resolves.toBeNull();
      await expect(keys.findById(org, entity.id)).resolves.toMatchObject({ revokedAt: null });
      const revoked = await keys.revoke(org, entity.id);
      expect(revoked).toMatchObject({ keyHash: entity.keyHash, revokedAt: expect.any(Date) });
      const again = await keys.revoke(org, entity.id);
      expect(again?.revokedAt).toEqual(revoked?.revokedAt);
      await expect(keys.revoke(org, randomUUID())).resolves.toBeNull();
    });

    it('records when a key was last used', async () => {
      const { entity } = await db.factory.newApiKey(org);
      const at = new Date(Date.UTC(2026, 5, 1, 12));
      await keys.touchLastUsed(entity.id, at);
      await expect(keys.findById(org, entity.id)).resolves.toMatchObject({ lastUsedAt: at });
    });
  });

  describe('RefreshTokensRepository', () => {
    let tokens: RefreshTokensRepository;
    let userId: string;
    beforeAll(async () => {
      tokens = new RefreshTokensRepository(db.dataSource.getRepository(RefreshTokenEntity));
      userId = (await db.factory.newUser(org)).id;
    });

    const stored = (id: string) =>
      db.dataSource.getRepository(RefreshTokenEntity).findOneByOrFail({ id });
    const newToken = async (familyId: string, expiresAt = new Date(Date.now() + 60_000)) => {
      const id = randomUUID();
      await tokens.insert({ id, familyId, userId, organizationId: org, tokenHash: 'h', expiresAt });
      return id;
    };

    it('rotates a token once: marks it used and issues the next in the same transaction', async () => {
      const familyId = randomUUID();
      const id = await newToken(familyId);
      let next = '';
      const outcome = await tokens.consume(
        id,
        (token) => token.tokenHash === 'h',
        async (previous, manager) => {
          next = randomUUID();
          await tokens.insert(
            { ...previous, id: next, expiresAt: new Date(Date.now() + 60_000) },
            manager,
          );
        },
      );
      expect(outcome).toMatchObject({ kind: 'rotated', previous: { id, familyId } });
      await expect(stored(id)).resolves.toMatchObject({ usedAt: expect.any(Date) });
      await expect(stored(next)).resolves.toMatchObject({ familyId, usedAt: null });
    });

    it('revokes the whole family when a used token comes back', async () => {
      const familyId = randomUUID();
      const first = await newToken(familyId);
      const second = await newToken(familyId);
      const unrelated = await newToken(randomUUID());
      await tokens.consume(
        first,
        () => true,
        () => Promise.resolve(),
      );
      const issueNext = jest.fn(() => Promise.resolve());
      const outcome = await tokens.consume(first, () => true, issueNext);
      expect(outcome).toMatchObject({ kind: 'reused', previous: { id: first } });
      expect(issueNext).not.toHaveBeenCalled();
      await expect(stored(second)).resolves.toMatchObject({ revokedAt: expect.any(Date) });
      await expect(stored(unrelated)).resolves.toMatchObject({ revokedAt: null });
    });

    it('answers invalid for an unknown, mismatched or expired token, and issues none', async () => {
      const issueNext = jest.fn(() => Promise.resolve());
      await expect(tokens.consume(randomUUID(), () => true, issueNext)).resolves.toEqual({
        kind: 'invalid',
      });
      const mismatched = await newToken(randomUUID());
      await expect(tokens.consume(mismatched, () => false, issueNext)).resolves.toEqual({
        kind: 'invalid',
      });
      await expect(stored(mismatched)).resolves.toMatchObject({ usedAt: null });
      const expired = await newToken(randomUUID(), new Date(Date.now() - 1000));
      await expect(tokens.consume(expired, () => true, issueNext)).resolves.toEqual({
        kind: 'invalid',
      });
      expect(issueNext).not.toHaveBeenCalled();
    });

    it("revokes every token of one user, and no one else's", async () => {
      const mine = await newToken(randomUUID());
      const someoneElse = (await db.factory.newUser(org)).id;
      const theirs = randomUUID();
      await tokens.insert({
        id: theirs,
        familyId: randomUUID(),
        userId: someoneElse,
        organizationId: org,
        tokenHash: 'h',
        expiresAt: new Date(Date.now() + 60_000),
      });
      await tokens.revokeAllForUser(userId);
      await expect(stored(mine)).resolves.toMatchObject({ revokedAt: expect.any(Date) });
      await expect(stored(theirs)).resolves.toMatchObject({ revokedAt: null });
    });
  });

  describe('SignatureNoncesRepository', () => {
    let nonces: SignatureNoncesRepository;
    beforeAll(() => {
      nonces = new SignatureNoncesRepository(db.dataSource.getRepository(SignatureNonceEntity));
    });

    it('claims a nonce once per key', async () => {
      const [a, b] = await Promise.all([db.factory.newApiKey(org), db.factory.newApiKey(org)]);
      const later = new Date(Date.now() + 60_000);
      await expect(nonces.claim(a.entity.id, 'n-1', later)).resolves.toBe(true);
      await expect(nonces.claim(a.entity.id, 'n-1', later)).resolves.toBe(false);
      await expect(nonces.claim(b.entity.id, 'n-1', later)).resolves.toBe(true);
    });

    it('deletes the expired nonces only, and answers how many', async () => {
      const { entity } = await db.factory.newApiKey(org);
      const now = new Date();
      await nonces.claim(entity.id, 'old', new Date(now.getTime() - 1000));
      await nonces.claim(entity.id, 'fresh', new Date(now.getTime() + 60_000));
      await expect(nonces.deleteExpired(now)).resolves.toBe(1);
      await expect(nonces.claim(entity.id, 'old', new Date(now.getTime() + 60_000))).resolves.toBe(
        true,
      );
      await expect(nonces.claim(entity.id, 'fresh', now)).resolves.toBe(false);
    });
  });
});
