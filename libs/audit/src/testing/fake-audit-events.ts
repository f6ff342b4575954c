import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import type { AuditEventEntity } from '../entities/audit-event.entity';
import type {
  AuditEventFilter,
  AuditEventsRepository,
} from '../repositories/audit-events.repository';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

/** AuditEventsRepository in memory: each event gets an id and a creation time a second apart. */
export class FakeAuditEventsRepository {
  readonly rows: AuditEventEntity[] = [];
  readonly listed: Array<{ organizationId: OrganizationId; filter: AuditEventFilter }> = [];
  /** What the next insert rejects with (the database is down). */
  insertFails: Error | undefined;

  insert(event: Omit<AuditEventEntity, 'id' | 'createdAt'>): Promise<void> {
    if (this.insertFails !== undefined) return Promise.reject(this.insertFails);
    const n = this.rows.length + 1;
    this.rows.push({
      ...event,
      id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    });
    return Promise.resolve();
  }

  list(
    organizationId: OrganizationId,
    filter: AuditEventFilter,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<AuditEventEntity>>> {
    this.listed.push({ organizationId, filter });
    return Promise.resolve(
      this.rows
        .filter((row) => row.organizationId === organizationId)
        .filter((row) => filter.action === undefined || row.action === filter.action)
        .map((item) => ({
          item,
          position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
        }))
        .reverse()
        .filter(({ position }) => after === undefined || position.time < after.time)
        .slice(0, limit + 1),
    );
  }

  asRepository(): AuditEventsRepository {
    return this as unknown as AuditEventsRepository;
  }
}
