import type { OrganizationId } from '@app/access';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant: every piece of data belongs to exactly one. */
@Entity({ name: 'organizations' })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: OrganizationId;

  @Column({ type: 'text' })
  name!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
