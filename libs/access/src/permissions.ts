/** Roles within one organization. */
export const ROLES = ['admin', 'analyst', 'viewer', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Everything a route can require. One table below says which role may do what. */
export const PERMISSIONS = [
  'auth:me',
  'api-keys:manage',
  'users:manage',
  'audit:read',
  'datasets:read',
  'datasets:write',
  'analyses:read',
  'analyses:write',
  'metrics:read',
  'metrics:write',
  'reports:read',
  'reports:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'auth:me',
  'datasets:read',
  'analyses:read',
  'metrics:read',
  'reports:read',
];

/**
 * The permission table (docs/api.md, "Authentication, roles and permissions"): admin does
 * everything; analyst works with datasets, analyses, metrics and reports;
 * viewer only reads; service writes and reads metrics and is exempt from
 * rate limits.
 */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  analyst: new Set<Permission>([
    ...READ,
    'datasets:write',
    'analyses:write',
    'metrics:write',
    'reports:write',
  ]),
  viewer: new Set<Permission>(READ),
  service: new Set<Permission>(['auth:me', 'metrics:read', 'metrics:write']),
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function rolesWithPermission(permission: Permission): Role[] {
  return ROLES.filter((role) => roleHasPermission(role, permission));
}
