import { OrganizationBootstrapService } from '@app/auth';
import type { INestApplicationContext } from '@nestjs/common';
import type { CommandResult } from './command-result';

export async function createOrganization(
  app: INestApplicationContext,
  organizationName: string,
): Promise<CommandResult> {
  const organizations = app.get(OrganizationBootstrapService);
  const created = await organizations.createOrganization(organizationName);
  await organizations.recordCreated(created, 'cli');
  return {
    lines: [
      `Created organization ${JSON.stringify(created.name)}`,
      `  organizationId: ${created.organizationId}`,
      'Created its first admin API key',
      `  apiKeyId: ${created.apiKeyId}`,
      '  role: admin',
      'The key follows; store it now, it is not shown again:',
    ],
    key: created.apiKey,
  };
}
