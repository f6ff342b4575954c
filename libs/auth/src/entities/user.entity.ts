import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@app/access';

/** A person who signs in with email and password. */
@Entity({ name: 'users' })
// Newest first, keyset-paginated (GET lists); also serves lookups by organization alone.
@Index('users_organization_time_idx', ['organizationId', 'createdAt', 'id'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  /** Stored lower-cased; unique across Sightline, because login names no organization. */
  @Index('users_email_unique', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  /** argon2id. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
