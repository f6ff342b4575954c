export { OrganizationEntity } from './entities/organization.entity';
export { OrganizationIdColumn, OrganizationRelation } from './entities/tenant-columns';
export { type Organization, OrganizationsService } from './services/organizations.service';
export { TenancyModule } from './tenancy.module';
