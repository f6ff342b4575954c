export { OrganizationEntity } from './entities/organization.entity';
export { type Organization, OrganizationsService } from './services/organizations.service';
export { TenancyModule } from './tenancy.module';
