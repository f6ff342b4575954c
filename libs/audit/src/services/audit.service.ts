import type { OrganizationId } from '@app/tenancy';
import { decodeCursor, type Page, type RequestMeta, toPage } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import type { AuditOutcome } from '../entities/audit-event.entity';
import {
  type AuditEventDto,
  type ListAuditEventsQueryDto,
  mapAuditEvent,
} from '../dtos/audit-event.dto';
import { AuditEventsRepository } from '../repositories/audit-events.repository';

/** Who acted: a principal's kind and id, or nobody known yet. */
export interface AuditActor {
  kind: 'user' | 'apiKey' | 'anonymous' | 'system';
  id: string | null;
  organizationId: OrganizationId | null;
}

export interface AuditRecord {
  actor: AuditActor;
  action: string;
  outcome: AuditOutcome;
  target?: { type: string; id: string };
  meta?: RequestMeta;
  /** Never secrets: ids, names, roles, reasons. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly events: AuditEventsRepository) {}

  /**
   * Records a sensitive action. An audit write that fails is logged, never
   * allowed to fail the action it describes (which has already happened).
   */
  async record(record: AuditRecord): Promise<void> {
    try {
      await this.events.insert({
        organizationId: record.actor.organizationId,
        actorKind: record.actor.kind,
        actorId: record.actor.id,
        action: record.action,
        outcome: record.outcome,
        targetType: record.target?.type ?? null,
        targetId: record.target?.id ?? null,
        ip: record.meta?.ip ?? null,
        userAgent: record.meta?.userAgent ?? null,
        requestId: record.meta?.requestId ?? null,
        details: record.details ?? {},
      });
    } catch (error) {
      this.logger.error({ err: error, action: record.action }, 'Could not write an audit event');
    }
  }

  async list(
    organizationId: OrganizationId,
    query: ListAuditEventsQueryDto,
  ): Promise<Page<AuditEventDto>> {
    const rows = await this.events.list(
      organizationId,
      { action: query.action, from: query.from, to: query.to },
      query.limit,
      decodeCursor(query.cursor),
    );
    return toPage(rows, query.limit, mapAuditEvent);
  }
}
