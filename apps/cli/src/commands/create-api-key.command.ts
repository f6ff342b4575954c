import type { Role } from '@app/access';
import { ApiKeysService, OrganizationBootstrapService } from '@app/auth';
import type { OrganizationId } from '@app/tenancy';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandFailure, type CommandResult } from './command-result';

export interface CreateApiKeyOptions {
  role: Role;
  /** Absent: the oldest organization, created when there is none. */
  organizationId: OrganizationId | undefined;
  keyName: string;
  expiresAt: Date | null;
}

export async function createApiKey(
  app: INestApplicationContext,
  options: CreateApiKeyOptions,
): Promise<CommandResult> {
  const organizations = app.get(OrganizationBootstrapService);
  const lines: string[] = [];
  let organizationId: OrganizationId;
  if (options.organizationId === undefined) {
    const first = await organizations.firstOrganization();
    organizationId = first.organizationId;
    if (first.created) await organizations.recordCreated(first, 'cli');
    lines.push(
      `${first.created ? 'Created the first organization' : 'Organization'} ${JSON.stringify(first.name)}`,
    );
  } else {
    const found = await organizations.findOrganization(options.organizationId);
    if (found === undefined)
      throw new CommandFailure(`No organization has the id ${options.organizationId}`);
    organizationId = found.organizationId;
    lines.push(`Organization ${JSON.stringify(found.name)}`);
  }
  const apiKeys = app.get(ApiKeysService);
  const key = await apiKeys.issue(organizationId, options.keyName, options.role, options.expiresAt);
  await apiKeys.recordIssued(key, organizationId, 'cli');
  lines.push(
    `  organizationId: ${organizationId}`,
    `Created API key ${JSON.stringify(key.name)}`,
    `  apiKeyId: ${key.id}`,
    `  role: ${key.role}`,
    `  expiresAt: ${key.expiresAt?.toISOString() ?? 'never'}`,
    'The key follows; store it now, it is not shown again:',
  );
  return { lines, key: key.key };
}
