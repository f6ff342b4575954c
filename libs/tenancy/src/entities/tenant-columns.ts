import { applyDecorators } from '@nestjs/common';
import { Column, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from './organization.entity';

/**
 * The `organization_id` column of a tenant table, declared once: a uuid, part of the
 * primary key where `primary`, nullable only where a row can predate its organization.
 */
export function OrganizationIdColumn(
  options: { primary?: boolean; nullable?: boolean } = {},
): PropertyDecorator {
  if (options.primary === true) return PrimaryColumn({ name: 'organization_id', type: 'uuid' });
  return Column({
    name: 'organization_id',
    type: 'uuid',
    ...(options.nullable === true ? { nullable: true } : {}),
  });
}

/** The foreign key on `organization_id`: a tenant's rows are deleted with it. */
export function OrganizationRelation(): PropertyDecorator {
  return applyDecorators(
    ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' }),
    JoinColumn({ name: 'organization_id' }),
  );
}
