/**
 * The id of an organization, told apart from every other id by the type checker: a
 * repository method that takes `organizationId: OrganizationId` does not compile with a
 * dataset id, a user id or any plain string. The brand exists only in types (the value is
 * the uuid string); `organizationIdOf` is the one place a string becomes one, used where
 * ids enter the system: the principal, the bootstrap, job payloads, the CLI, the entities.
 * Declared here, beside the principal that carries it, because access imports no other lib;
 * @app/tenancy exports it too.
 */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

/** Brands `value` as an organization id. Call it where the id enters, not to silence tsc. */
export function organizationIdOf(value: string): OrganizationId {
  return value as OrganizationId;
}
