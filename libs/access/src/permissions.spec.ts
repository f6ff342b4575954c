import { PERMISSIONS, roleHasPermission, rolesWithPermission } from './permissions';

describe('the permission table', () => {
  it('gives admin every permission', () => {
    for (const permission of PERMISSIONS) expect(roleHasPermission('admin', permission)).toBe(true);
  });

  it('lets viewers only read', () => {
    const granted = PERMISSIONS.filter((permission) => roleHasPermission('viewer', permission));
    expect(granted).toEqual([
      'auth:me',
      'datasets:read',
      'analyses:read',
      'metrics:read',
      'reports:read',
    ]);
  });

  it('keeps analysts out of keys, people and the audit log', () => {
    for (const permission of ['api-keys:manage', 'users:manage', 'audit:read'] as const) {
      expect(roleHasPermission('analyst', permission)).toBe(false);
    }
    expect(roleHasPermission('analyst', 'datasets:write')).toBe(true);
  });

  it('limits the service role to metrics', () => {
    expect(PERMISSIONS.filter((permission) => roleHasPermission('service', permission))).toEqual([
      'auth:me',
      'metrics:read',
      'metrics:write',
    ]);
    expect(rolesWithPermission('metrics:write')).toEqual(['admin', 'analyst', 'service']);
  });
});
