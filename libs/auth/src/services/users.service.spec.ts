import { type OrganizationId } from '@app/tenancy';
import { PageQueryDto } from '@app/common';
import { QueryFailedError } from 'typeorm';
import type { CreateUserDto, UpdateUserDto } from '../dtos/user.dto';
import { adminOf, AuthFakes, META, ORG_A, ORG_B } from '../testing/fake-auth';
import { userEntity } from '../testing/fake-auth-repositories';
import { verifyPassword } from './credentials';
import { type UsersService } from './users.service';

const createDto = (fields: Partial<CreateUserDto> = {}): CreateUserDto => ({
  email: 'Ada@Example.com',
  password: 'correct horse',
  role: 'analyst',
  ...fields,
});
const updateDto = (fields: Partial<UpdateUserDto>): UpdateUserDto => ({ ...fields });

describe('UsersService', () => {
  let f: AuthFakes;
  let service: UsersService;

  beforeEach(() => {
    f = new AuthFakes();
    service = f.usersService();
  });

  const tokenOf = (userId: string, organizationId: OrganizationId) =>
    f.tokens.insert({
      id: `t-${userId}`,
      familyId: 'f',
      userId,
      organizationId,
      tokenHash: 'h',
      expiresAt: new Date(Date.now() + 60_000),
    });

  describe('create', () => {
    it("creates the user in the actor's organization, email lower-cased, password hashed, and audits", async () => {
      const created = await service.create(adminOf(ORG_A), createDto(), META);
      expect(created).toMatchObject({ email: 'ada@example.com', role: 'analyst' });
      expect(created).not.toHaveProperty('passwordHash');
      const [stored] = f.users.rows;
      expect(stored?.organizationId).toBe(ORG_A);
      expect(stored?.passwordHash).not.toContain('correct horse');
      await expect(verifyPassword(stored?.passwordHash, 'correct horse')).resolves.toBe(true);
      expect(f.audit.records).toEqual([
        expect.objectContaining({
          action: 'user.created',
          target: { type: 'user', id: created.id },
          details: { role: 'analyst' },
        }),
      ]);
      expect(JSON.stringify(f.audit.records)).not.toContain('correct horse');
    });

    it('answers 409 naming the field for an email taken in any organization', async () => {
      f.users.rows.push(userEntity(ORG_B, { email: 'ada@example.com' }));
      await expect(service.create(adminOf(ORG_A), createDto(), META)).rejects.toMatchObject({
        status: 409,
        slug: 'conflict',
        fieldErrors: [{ field: 'email', message: 'email is already taken' }],
      });
      expect(f.audit.records).toEqual([]);
    });

    it('answers the same 409 when the unique index decides a race', async () => {
      f.users.insertFails = new QueryFailedError('INSERT …', [], {
        code: '23505',
        constraint: 'users_email_unique',
      } as unknown as Error);
      await expect(service.create(adminOf(ORG_A), createDto(), META)).rejects.toMatchObject({
        status: 409,
        slug: 'conflict',
      });
    });

    it('lets any other insert failure through', async () => {
      f.users.insertFails = new Error('connection lost');
      await expect(service.create(adminOf(ORG_A), createDto(), META)).rejects.toThrow(
        'connection lost',
      );
    });
  });

  describe('read', () => {
    it("gets the organization's own user, and 404 for another organization's", async () => {
      const own = userEntity(ORG_A);
      const other = userEntity(ORG_B);
      f.users.rows.push(own, other);
      await expect(service.get(ORG_A, own.id)).resolves.toMatchObject({ id: own.id });
      await expect(service.get(ORG_A, other.id)).rejects.toMatchObject({ status: 404 });
      expect(f.users.calls).toEqual([
        { method: 'findById', organizationId: ORG_A },
        { method: 'findById', organizationId: ORG_A },
      ]);
    });

    it("pages the organization's users only, without password hashes", async () => {
      f.users.rows.push(userEntity(ORG_A), userEntity(ORG_A), userEntity(ORG_B));
      const query = Object.assign(new PageQueryDto(), { limit: 1 });
      const first = await service.list(ORG_A, query);
      const second = await service.list(ORG_A, { ...query, cursor: first.nextCursor ?? '' });
      expect(second.nextCursor).toBeNull();
      const listed = [...first.data, ...second.data];
      expect(listed.map((user) => user.id).sort()).toEqual(
        f.users.rows
          .filter((row) => row.organizationId === ORG_A)
          .map((row) => row.id)
          .sort(),
      );
      expect(listed[0]).not.toHaveProperty('passwordHash');
    });
  });

  describe('update', () => {
    it('changes the role, evicts the cached principal, and audits from and to', async () => {
      const user = userEntity(ORG_A, { role: 'viewer' });
      f.users.rows.push(user);
      await tokenOf(user.id, ORG_A);
      const updated = await service.update(
        adminOf(ORG_A),
        user.id,
        updateDto({ role: 'admin' }),
        META,
      );
      expect(updated.role).toBe('admin');
      expect(f.cache.evicted).toEqual([user.id]);
      expect(f.tokens.rows[0]?.revokedAt).toBeNull();
      expect(f.audit.records).toEqual([
        expect.objectContaining({
          action: 'user.role-changed',
          details: { from: 'viewer', to: 'admin' },
        }),
      ]);
    });

    it('audits no role change when the role stays the same', async () => {
      const user = userEntity(ORG_A, { role: 'analyst' });
      f.users.rows.push(user);
      await service.update(adminOf(ORG_A), user.id, updateDto({ role: 'analyst' }), META);
      expect(f.audit.records).toEqual([]);
    });

    it("changes the password and revokes the user's refresh tokens", async () => {
      const user = userEntity(ORG_A);
      f.users.rows.push(user);
      await tokenOf(user.id, ORG_A);
      await service.update(adminOf(ORG_A), user.id, updateDto({ password: 'new secret!' }), META);
      await expect(verifyPassword(user.passwordHash, 'new secret!')).resolves.toBe(true);
      expect(f.tokens.rows[0]?.revokedAt).toEqual(expect.any(Date));
      expect(f.audit.actions()).toEqual(['user.password-changed']);
      expect(JSON.stringify(f.audit.records)).not.toContain('new secret!');
    });

    it("answers 404 for another organization's user, changing nothing", async () => {
      const user = userEntity(ORG_B, { role: 'viewer' });
      f.users.rows.push(user);
      await tokenOf(user.id, ORG_B);
      await expect(
        service.update(adminOf(ORG_A), user.id, updateDto({ role: 'admin', password: 'x' }), META),
      ).rejects.toMatchObject({ status: 404 });
      expect(user.role).toBe('viewer');
      expect(f.tokens.rows[0]?.revokedAt).toBeNull();
      expect(f.cache.evicted).toEqual([]);
      expect(f.audit.records).toEqual([]);
    });
  });

  describe('delete', () => {
    it('deletes, evicts the cached principal and audits', async () => {
      const user = userEntity(ORG_A);
      f.users.rows.push(user);
      await service.delete(adminOf(ORG_A), user.id, META);
      expect(f.users.rows).toEqual([]);
      expect(f.cache.evicted).toEqual([user.id]);
      expect(f.audit.records).toEqual([
        expect.objectContaining({ action: 'user.deleted', target: { type: 'user', id: user.id } }),
      ]);
    });

    it("answers 404 for another organization's user, who stays", async () => {
      const user = userEntity(ORG_B);
      f.users.rows.push(user);
      await expect(service.delete(adminOf(ORG_A), user.id, META)).rejects.toMatchObject({
        status: 404,
      });
      expect(f.users.calls).toEqual([{ method: 'delete', organizationId: ORG_A }]);
      expect(f.users.rows).toEqual([user]);
      expect(f.audit.records).toEqual([]);
    });
  });
});
