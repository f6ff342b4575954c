export { OrganizationEntity } from './entities/organization.entity';
export { OrganizationIdColumn, OrganizationRelation } from './entities/tenant-columns';
export { type Organization, OrganizationsService } from './services/organizations.service';
export { TenancyModule } from './tenancy.module';
// Declared beside the principal, at the foot of the module graph (access imports nothing);
// tenancy, which every module already imports, is where callers find it.
export { type OrganizationId, organizationIdOf } from '@app/access';
