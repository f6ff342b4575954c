import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_progress' | 'done';

/**
 * One `Idempotency-Key` of an organization: the request it was first used with (by
 * hash) and, once that request succeeded, the response to replay for 24 hours.
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_created_idx', ['createdAt'])
export class IdempotencyKeyEntity {
  @OrganizationIdColumn({ primary: true })
  organizationId!: OrganizationId;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  /** sha256 of principal, method, path with query and body: what "the same request" means. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  state!: IdempotencyState;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @CreatedAtColumn()
  createdAt!: Date;
}
