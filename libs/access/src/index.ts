export {
  CurrentPrincipal,
  OPENAPI_PERMISSION,
  OPENAPI_PUBLIC,
  OPENAPI_SIGNED,
  Public,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  RequirePermission,
  RequireSignature,
  SIGNATURE_REQUIRED,
  type SignatureRequirement,
} from './decorators';
export {
  type Permission,
  PERMISSIONS,
  type Role,
  ROLE_PERMISSIONS,
  ROLES,
  roleHasPermission,
  rolesWithPermission,
} from './permissions';
export type { Principal } from './principal';
export {
  changesRoleOrPassword,
  setsWebhookUrl,
  grantsPrivilegedRole,
  PRIVILEGED_ROLES,
} from './sensitive-operations';
export { type OrganizationId, organizationIdOf } from './organization-id';
