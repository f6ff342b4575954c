import type { OrganizationId } from './organization-id';
import type { Role } from './permissions';

/** Who is calling: a person (JWT) or a machine (API key), always inside one organization. */
export interface Principal {
  kind: 'user' | 'apiKey';
  /** User id or API key id. */
  id: string;
  organizationId: OrganizationId;
  role: Role;
}
