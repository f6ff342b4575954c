import type { Role } from './permissions';

/** Roles that may do everything (admin) or are exempt from rate limits (service). */
export const PRIVILEGED_ROLES: readonly Role[] = ['admin', 'service'];

function isRecord(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/*
 * The body-dependent sensitive operations of docs/api.md, in one place. The signature guard reads
 * the parsed JSON body before the validation pipe; the pipe admits a role only as one of the
 * exact strings of ROLES (IsIn, no transform), so deciding on the raw value is exact, and
 * anything the rule cannot read (a non-object body, a non-string role) is treated as sensitive.
 */

/** Creating a principal whose role is privileged (admin or service). */
export function grantsPrivilegedRole(body: unknown): boolean {
  if (!isRecord(body)) return true;
  if (!Object.hasOwn(body, 'role')) return false;
  const role = body.role;
  return typeof role !== 'string' || (PRIVILEGED_ROLES as readonly string[]).includes(role);
}

/** Changing a person's role or password. */
export function changesRoleOrPassword(body: unknown): boolean {
  return !isRecord(body) || Object.hasOwn(body, 'role') || Object.hasOwn(body, 'password');
}

/** Giving a report a webhook URL, which makes its signing secret. */
export function setsWebhookUrl(body: unknown): boolean {
  return !isRecord(body) || (Object.hasOwn(body, 'webhookUrl') && body.webhookUrl !== null);
}
