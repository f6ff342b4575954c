import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity } from './entities/organization.entity';
import { OrganizationsRepository } from './repositories/organizations.repository';
import { OrganizationsService } from './services/organizations.service';

/**
 * The tenants: organizations, which every piece of data belongs to. Feature entities point
 * at {@link OrganizationEntity} (a foreign key with cascade); reads and writes of
 * organizations go through {@link OrganizationsService}.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity])],
  providers: [OrganizationsRepository, OrganizationsService],
  exports: [OrganizationsService],
})
export class TenancyModule {}
