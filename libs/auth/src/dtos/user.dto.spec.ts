import { changesRoleOrPassword, grantsPrivilegedRole, PRIVILEGED_ROLES } from '@app/access';
import { createValidationPipe } from '@app/common';
import { CreateUserDto, UpdateUserDto } from './user.dto';

const pipe = createValidationPipe();

/** What the handler would receive for `body`, or undefined if the pipe refuses it. */
async function admitted<T>(metatype: new () => T, body: unknown): Promise<T | undefined> {
  try {
    return (await pipe.transform(body, { type: 'body', metatype })) as T;
  } catch {
    return undefined;
  }
}

const base = { email: 'someone@example.com', password: 'a long enough password' };
// Values a hostile client might try so that the signature rule and the pipe disagree.
const roles: unknown[] = [
  'admin',
  'service',
  'viewer',
  'analyst',
  'Admin',
  ' admin',
  ['admin'],
  { toString: 'admin' },
  null,
  1,
  true,
  undefined,
];

describe('the signature rules agree with what the validation pipe admits', () => {
  it('never lets an admin or service person be created without the rule asking to sign', async () => {
    for (const role of roles) {
      const body = { ...base, role };
      const dto = await admitted(CreateUserDto, body);
      if (dto !== undefined && PRIVILEGED_ROLES.includes(dto.role)) {
        expect({ role, signed: grantsPrivilegedRole(body) }).toEqual({ role, signed: true });
      }
    }
    expect(grantsPrivilegedRole({ ...base, role: 'admin' })).toBe(true);
    expect(grantsPrivilegedRole({ ...base, role: 'service' })).toBe(true);
    expect(grantsPrivilegedRole({ ...base, role: 'viewer' })).toBe(false);
    expect(grantsPrivilegedRole('{"role":"admin"}')).toBe(true);
  });

  it('never lets a role or password change through without the rule asking to sign', async () => {
    for (const role of roles) {
      for (const body of [{ role }, { password: 'a long enough password' }, { role, ...base }]) {
        const dto = await admitted(UpdateUserDto, body);
        if (dto !== undefined && (dto.role !== undefined || dto.password !== undefined)) {
          expect({ body, signed: changesRoleOrPassword(body) }).toEqual({ body, signed: true });
        }
      }
    }
    expect(changesRoleOrPassword({})).toBe(false);
    expect(changesRoleOrPassword(undefined)).toBe(true);
  });
});
