import { AuditService } from '@app/audit';
import { AppConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import { type OrganizationId, OrganizationsService } from '@app/tenancy';
import { Injectable, Logger } from '@nestjs/common';
import { ApiKeysService, type SystemActor, systemActor } from './api-keys.service';

const FIRST_ORGANIZATION_NAME = 'Default organization';
const ADMIN_KEY_NAME = 'bootstrap admin key';

export interface OrganizationSummary {
  organizationId: OrganizationId;
  name: string;
}

export interface CreatedOrganization extends OrganizationSummary {
  /** Id of the first admin key, to revoke or rotate it later. */
  apiKeyId: string;
  /** The first admin key itself: shown once, never stored. */
  apiKey: string;
}

/** Creates organizations with their first admin key: on first start, and for the CLI. */
@Injectable()
export class OrganizationBootstrapService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly organizations: OrganizationsService,
    private readonly apiKeys: ApiKeysService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * The audit records of an organization made outside the API and of its first admin
   * key (the CLI calls this once its command has committed; first start does itself).
   */
  async recordCreated(
    created: OrganizationSummary & { apiKeyId?: string },
    via: SystemActor,
  ): Promise<void> {
    await this.audit.record({
      actor: systemActor(via, created.organizationId),
      action: 'organization.created',
      outcome: 'success',
      target: { type: 'organization', id: created.organizationId },
      details: { name: created.name, via },
    });
    if (created.apiKeyId !== undefined) {
      await this.apiKeys.recordIssued(
        { id: created.apiKeyId, name: ADMIN_KEY_NAME, role: 'admin' },
        created.organizationId,
        via,
      );
    }
  }

  async createOrganization(name: string, presetKey?: string): Promise<CreatedOrganization> {
    return this.organizations.inTransaction((work) =>
      this.insertWithAdminKey(work, name, presetKey),
    );
  }

  /** One organization and its first admin key, inside the caller's transaction. */
  private async insertWithAdminKey(
    work: UnitOfWork,
    name: string,
    presetKey: string | undefined,
  ): Promise<CreatedOrganization> {
    const organization = await this.organizations.create(name, work);
    const key = await this.apiKeys.issue(
      organization.id,
      ADMIN_KEY_NAME,
      'admin',
      null,
      work,
      presetKey,
    );
    return { organizationId: organization.id, name, apiKeyId: key.id, apiKey: key.key };
  }

  async findOrganization(id: OrganizationId): Promise<OrganizationSummary | undefined> {
    const organization = await this.organizations.findById(id);
    return organization === undefined
      ? undefined
      : { organizationId: organization.id, name: organization.name };
  }

  /**
   * The oldest organization, the one first start made. On an empty database it
   * is created here (without a key: the caller issues the one it needs), under
   * the same lock as first start so the two never both create one.
   */
  async firstOrganization(): Promise<OrganizationSummary & { created: boolean }> {
    const oldest = await this.organizations.findOldest();
    if (oldest !== undefined)
      return { organizationId: oldest.id, name: oldest.name, created: false };
    return this.organizations.whileCreatingTheFirst(async (work) => {
      const found = await this.organizations.findOldest(work);
      const organization =
        found ?? (await this.organizations.create(FIRST_ORGANIZATION_NAME, work));
      return {
        organizationId: organization.id,
        name: organization.name,
        created: found === undefined,
      };
    });
  }

  /**
   * On an empty database, creates the first organization and admin key and
   * prints the key once (or uses `BOOTSTRAP_ADMIN_API_KEY`). Printed to
   * standard output, not through the logger, so it never enters log storage.
   */
  async bootstrapIfEmpty(): Promise<CreatedOrganization | undefined> {
    const created = await this.organizations.whileCreatingTheFirst(async (work) => {
      if ((await this.organizations.findOldest(work)) !== undefined) return undefined;
      return this.insertWithAdminKey(
        work,
        FIRST_ORGANIZATION_NAME,
        this.config.auth.bootstrapAdminApiKey,
      );
    });
    if (created === undefined) return undefined;
    await this.recordCreated(created, 'bootstrap');
    this.logger.log(
      `Created the first organization ${created.organizationId} and its admin API key`,
    );
    if (this.config.auth.bootstrapAdminApiKey === undefined) {
      process.stdout.write(
        `\nSightline: first start. Organization "${created.name}" (${created.organizationId}) has an admin API key.\n` +
          `Store it now; it is not shown again:\n\n  ${created.apiKey}\n\n`,
      );
    }
    return created;
  }
}
