import { PageQueryDto } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuditEventEntity, AuditOutcome } from '../entities/audit-event.entity';

export class ListAuditEventsQueryDto extends PageQueryDto {
  /** Only this action, e.g. `api-key.created`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  /** Events at or after this time (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Events before this time (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  /** `user`, `apiKey`, `anonymous` or `system`. */
  @ApiProperty({ enum: ['user', 'apiKey', 'anonymous', 'system'] })
  actorKind!: AuditEventEntity['actorKind'];
  @ApiProperty({ type: String, nullable: true, maxLength: 256 })
  actorId!: string | null;
  /** What was done, e.g. `auth.login`, `api-key.rotated`, `user.role-changed`. */
  @ApiProperty({ maxLength: 100 })
  action!: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 64 })
  targetType!: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 256 })
  targetId!: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'denied'] })
  outcome!: AuditOutcome;
  /** The client's address (IPv4 or IPv6, as the proxy setting resolves it). */
  @ApiProperty({ type: String, nullable: true, maxLength: 45 })
  ip!: string | null;
  /** As sent (bounded only by the 16 KiB limit on request heads). */
  @ApiProperty({ type: String, nullable: true, maxLength: 16384 })
  userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 128 })
  requestId!: string | null;
  details!: Record<string, unknown>;
  createdAt!: Date;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], maxItems: 500 })
  data!: AuditEventDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, maxLength: 512 })
  nextCursor!: string | null;
}

export function mapAuditEvent(event: AuditEventEntity): AuditEventDto {
  return {
    id: event.id,
    actorKind: event.actorKind,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    outcome: event.outcome,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    details: event.details,
    createdAt: event.createdAt,
  };
}
