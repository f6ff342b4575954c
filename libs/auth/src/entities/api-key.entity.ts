import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@app/access';

/**
 * A machine credential. The key itself is shown once; only its SHA-256 (hex)
 * is stored, which is also the HMAC key for request signatures.
 */
@Entity({ name: 'api_keys' })
// Newest first, keyset-paginated (GET lists); also serves lookups by organization alone.
@Index('api_keys_organization_time_idx', ['organizationId', 'createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: Role;

  /** The visible part (`sl_<prefix>_…`), unique, used to find the key. */
  @Index('api_keys_prefix_unique', { unique: true })
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
