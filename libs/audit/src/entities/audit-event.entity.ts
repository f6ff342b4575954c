import { type OrganizationId, OrganizationIdColumn } from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** One sensitive action: who did what to what, when, from where, and how it ended. */
@Entity({ name: 'audit_events' })
@Index('audit_events_organization_time_idx', ['organizationId', 'createdAt', 'id'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null only for events before an organization is known (a failed login with an unknown email). */
  @OrganizationIdColumn({ nullable: true })
  organizationId!: OrganizationId | null;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: 'user' | 'apiKey' | 'anonymous' | 'system';

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'text' })
  outcome!: AuditOutcome;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @CreatedAtColumn()
  createdAt!: Date;
}
