import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';

export interface AuditEventFilter {
  action?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditEventsRepository {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
  ) {}

  async insert(event: Omit<AuditEventEntity, 'id' | 'createdAt'>): Promise<void> {
    await this.events.save(this.events.create(event));
  }

  async list(
    organizationId: OrganizationId,
    filter: AuditEventFilter,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<AuditEventEntity>>> {
    const query = this.events
      .createQueryBuilder('event')
      .where('event.organization_id = :organizationId', { organizationId });
    if (filter.action !== undefined)
      query.andWhere('event.action = :action', { action: filter.action });
    if (filter.from !== undefined)
      query.andWhere('event.created_at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('event.created_at < :to', { to: filter.to });
    return newestFirstPage(query, 'event', limit, after);
  }
}
